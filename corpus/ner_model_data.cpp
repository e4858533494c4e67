// The compiled-in NER model (corpus/data/ner/model.bin, MODEL.md), embedded
// with the assembler's .incbin when the build found the file
// (corpus/CMakeLists.txt defines DATELINE_NER_MODEL as its path).
#include "corpus/ner.h"

#ifdef DATELINE_NER_MODEL
__asm__(
    ".pushsection .rodata\n"
    ".balign 16\n"
    "dateline_ner_model_begin:\n"
    ".incbin \"" DATELINE_NER_MODEL "\"\n"
    "dateline_ner_model_end:\n"
    ".popsection\n");
extern "C" const char dateline_ner_model_begin[] __asm__("dateline_ner_model_begin");
extern "C" const char dateline_ner_model_end[] __asm__("dateline_ner_model_end");
#endif

namespace dateline {

const NerModel& NerModel::builtin() {
  static const NerModel model = [] {
#ifdef DATELINE_NER_MODEL
    return from_bytes(std::string_view(dateline_ner_model_begin,
                                       static_cast<size_t>(dateline_ner_model_end - dateline_ner_model_begin)));
#else
    return NerModel();
#endif
  }();
  return model;
}

}  // namespace dateline

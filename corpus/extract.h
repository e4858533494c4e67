// Field extraction: date, quoted speakers and named entities of an article.
#pragma once

#include "corpus/article.h"

namespace dateline {

// Fills the fields the input did not give: speakers (unless has_speakers),
// entities (unless has_entities), and the date from a dateline at the start of
// the body when `date` is kNoDate. Deterministic; never throws on any text.
void extract_fields(Article& article);

}  // namespace dateline

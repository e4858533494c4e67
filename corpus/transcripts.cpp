// Interview transcripts: paragraphs that open with a speaker label ("Q:",
// "A:", "**Jane Doe:**", "DOE:", "Jane Doe:"). What the interviewee says is
// a direct quotation with no marks and no verb: each labelled answer is a
// record (cue "answer"), and so is each unlabelled paragraph that continues
// it, up to the next label. The interviewer's paragraphs (labels "Q",
// "Interviewer", "Moderator", the byline, or a name whose paragraphs are
// questions) make none. "A" stands for the person the introduction (the title
// and the paragraphs before the first label) names most.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "corpus/nlp.h"
#include "corpus/text_util.h"

namespace dateline::corpus_detail {

namespace {


struct Paragraph {
  size_t first = 0, last = 0;   // token range, inclusive
  std::string label;            // lower-cased label words ("q", "ananya krishnan"), "" if none
  size_t text = 0;              // first token after the label
};

enum class Role : uint8_t { None, Questioner, Interviewee, Named };

const char* const kQuestionerLabels[] = {"q", "question", "interviewer", "moderator", "host", "presenter",
                                         "reporter", "chair"};
const char* const kAnswerLabels[] = {"a", "answer"};

bool one_of(const std::string& w, const char* const* list, size_t n) {
  return std::find(list, list + n, w) != list + n;
}

class TranscriptFinder {
 public:
  TranscriptFinder(const Doc& doc, uint32_t body_from, std::string_view author,
                   const std::vector<Attribution>& attributions, std::vector<std::string>& speakers,
                   std::vector<Quotation>& out)
      : doc_(doc), toks_(doc.toks), body_from_(body_from), author_(ascii_lower(author)),
        attributions_(attributions), speakers_(speakers), out_(out) {}

  void run() {
    split_paragraphs();
    size_t labelled = 0;
    std::map<std::string, Role> roles;
    for (const Paragraph& p : paras_) {
      if (p.label.empty()) continue;
      const Role r = role_of(p.label);
      if (r == Role::None) continue;
      ++labelled;
      roles[p.label] = r;
    }
    // A transcript has turns: three labelled paragraphs, two speakers, and someone answering.
    const bool answers = std::any_of(roles.begin(), roles.end(), [](const auto& r) { return r.second != Role::Questioner; });
    if (labelled < 3 || roles.size() < 2 || !answers) return;
    for (auto& [label, role] : roles)
      if (role == Role::Named && mostly_questions(label)) role = Role::Questioner;
    std::string speaker;
    bool continuing = false;
    for (const Paragraph& p : paras_) {
      const auto r = p.label.empty() ? roles.end() : roles.find(p.label);
      if (r != roles.end()) {
        speaker = r->second == Role::Questioner ? "" : name_of(p.label, r->second);
        continuing = !speaker.empty();
        if (continuing) emit(speaker, p.text, p.last);
        continue;
      }
      if (!continuing) continue;
      if (has_attribution(p)) {  // the reporter speaks again
        continuing = false;
        continue;
      }
      emit(speaker, p.first, p.last);
    }
  }

 private:
  void split_paragraphs() {
    label_tok_.assign(toks_.size(), false);
    size_t k = 0;
    while (k < toks_.size() && toks_[k].begin < body_from_) ++k;
    while (k < toks_.size()) {
      if (toks_[k].kind == TokKind::Break) {
        ++k;
        continue;
      }
      Paragraph p;
      p.first = k;
      while (k + 1 < toks_.size() && toks_[k + 1].kind != TokKind::Break) ++k;
      p.last = k++;
      read_label(p);
      if (!p.label.empty())
        for (size_t j = p.first; j < p.text; ++j) label_tok_[j] = true;
      paras_.push_back(std::move(p));
    }
  }

  // "**Jane Doe:** text", "Q: text", "DOE: text": one to four words before a
  // colon at the paragraph's start, the label's asterisks around them.
  void read_label(Paragraph& p) const {
    size_t k = p.first;
    while (k <= p.last && is_punct(toks_[k], '*')) ++k;
    const size_t words_from = k;
    while (k <= p.last && k - words_from < 4 && toks_[k].kind == TokKind::Word && !toks_[k].in_quote &&
           (toks_[k].cap || toks_[k].upper || is_name_connector(toks_[k].lower)))
      ++k;
    if (k == words_from || k > p.last || !is_punct(toks_[k], ':')) return;
    std::string label;
    for (size_t j = words_from; j < k; ++j) label.append(label.empty() ? "" : " ").append(toks_[j].lower);
    ++k;
    while (k <= p.last && is_punct(toks_[k], '*')) ++k;
    if (k > p.last) return;
    p.label = std::move(label);
    p.text = k;
  }

  Role role_of(const std::string& label) {
    if (one_of(label, kQuestionerLabels, std::size(kQuestionerLabels))) return Role::Questioner;
    if (!author_.empty() && (label == author_ || author_.ends_with(" " + label))) return Role::Questioner;
    if (one_of(label, kAnswerLabels, std::size(kAnswerLabels))) return Role::Interviewee;
    return person_named(label).empty() && label.find(' ') == std::string::npos ? Role::None : Role::Named;
  }

  // The person a label names: the first person-like name of the text (not
  // a label itself) whose words contain the label's ("morales" -> "Valentina
  // Morales Fuentes"); "" if none.
  std::string person_named(const std::string& label) {
    auto [cached, fresh] = named_.try_emplace(label);
    if (!fresh) return cached->second;
    if (names_lower_.empty()) {  // once: the person-like names outside the labels, padded with spaces
      for (const Segment& s : doc_.segs) {
        if (s.kind != SegKind::Name || s.words < 2 || label_tok_[s.first] || !person_like(doc_, s)) continue;
        // (Its full form: "Tomás Radić" of a headline is the body's "Tomás Radić Oyarzún".)
        const int32_t full = resolve_surname(doc_, s);
        const Segment& named = full >= 0 ? doc_.segs[full] : s;
        std::string padded(1, ' ');
        padded.append(ascii_lower(named.text)).push_back(' ');
        names_lower_.emplace_back(std::move(padded), &named.text);
      }
    }
    std::string needle(1, ' ');
    needle.append(label).push_back(' ');
    for (const auto& [padded, text] : names_lower_)
      if (padded.find(needle) != std::string::npos) return cached->second = *text;
    return {};
  }

  std::string name_of(const std::string& label, Role role) {
    auto [it, fresh] = names_.try_emplace(label);
    if (!fresh) return it->second;
    if (role == Role::Interviewee) {
      it->second = interviewee();
    } else {
      it->second = person_named(label);
      if (it->second.empty()) {  // a full name used only as a label: as written
        for (const Paragraph& p : paras_)
          if (p.label == label) {
            it->second = std::string(doc_.text.substr(toks_[p.first].begin, toks_[p.text].begin - toks_[p.first].begin));
            break;
          }
        it->second = trim_label(it->second);
      }
    }
    if (!it->second.empty() && std::find(speakers_.begin(), speakers_.end(), it->second) == speakers_.end())
      speakers_.push_back(it->second);
    return it->second;
  }

  static std::string trim_label(std::string s) {
    while (!s.empty() && (s.back() == '*' || s.back() == ':' || s.back() == ' ')) s.pop_back();
    size_t b = 0;
    while (b < s.size() && s[b] == '*') ++b;
    return s.substr(b);
  }

  // The person the title and the paragraphs before the first label name
  // most (a surname counts for its full name), not the byline's.
  std::string interviewee() const {
    size_t end = toks_.size();
    for (const Paragraph& p : paras_)
      if (!p.label.empty()) {
        end = p.first;
        break;
      }
    std::map<std::string, std::pair<int, size_t>> count;  // name -> (mentions, first token)
    for (const Segment& s : doc_.segs) {
      if (s.first >= end || s.kind != SegKind::Name || !person_like(doc_, s)) continue;
      std::string name = s.text;
      if (const int32_t full = resolve_surname(doc_, s); full >= 0) name = doc_.segs[full].text;
      else if (s.words < 2) continue;
      if (ascii_lower(name) == author_) continue;
      auto [it, fresh] = count.try_emplace(name, 0, s.first);
      ++it->second.first;
    }
    std::string best;
    std::pair<int, size_t> best_score{0, 0};
    for (const auto& [name, c] : count)
      if (c.first > best_score.first || (c.first == best_score.first && c.second < best_score.second)) {
        best = name;
        best_score = c;
      }
    return best;
  }

  // Most of the label's paragraphs end with a question mark.
  bool mostly_questions(const std::string& label) const {
    size_t n = 0, q = 0;
    for (const Paragraph& p : paras_) {
      if (p.label != label) continue;
      ++n;
      q += is_punct(toks_[p.last], '?');
    }
    return 2 * q > n;
  }

  bool has_attribution(const Paragraph& p) const {
    return std::any_of(attributions_.begin(), attributions_.end(),
                       [&](const Attribution& a) { return a.verb >= p.first && a.verb <= p.last; });
  }

  void emit(const std::string& speaker, size_t first, size_t last) {
    if (first > last || toks_[first].begin < body_from_) return;
    out_.push_back(Quotation{speaker, SpeakerKind::Person, QuoteKind::Direct, "answer",
                             toks_[first].begin - body_from_, toks_[last].end - body_from_});
  }

  const Doc& doc_;
  const std::vector<Tok>& toks_;
  uint32_t body_from_;
  std::string author_;
  const std::vector<Attribution>& attributions_;
  std::vector<std::string>& speakers_;
  std::vector<Quotation>& out_;
  std::vector<Paragraph> paras_;
  std::map<std::string, std::string> names_;  // label -> speaker
  std::map<std::string, std::string> named_;  // label -> person_named()
  std::vector<std::pair<std::string, const std::string*>> names_lower_;  // " jane doe " -> "Jane Doe"
  std::vector<bool> label_tok_;               // the token is part of a label
};

}  // namespace

void find_transcript_quotations(const Doc& doc, uint32_t body_from, std::string_view author,
                                const std::vector<Attribution>& attributions, std::vector<std::string>& speakers,
                                std::vector<Quotation>& out) {
  TranscriptFinder(doc, body_from, author, attributions, speakers, out).run();
}

}  // namespace dateline::corpus_detail

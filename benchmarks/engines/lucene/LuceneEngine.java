// Lucene 8.7 peer engine for the dateline benchmark.
//
//   lucene_engine index INDEX_DIR CORPUS.jsonl   -> builds a fresh index
//   lucene_engine serve INDEX_DIR [--timing]     -> answers COUNT / TOP10 /
//                                                   TOP10_COUNT lines on stdin
//
// --timing prefixes each reply line with the nanoseconds spent on it in this
// process (System.nanoTime, from just after the request line is read to just
// before the reply is written) and a TAB; see README.md, "Protocol".
//
// Analysis: StandardAnalyzer (UAX#29 words, lower-cased) with no stop words
// and no stemming, with a position increment gap of 100 between the values
// of a multi-valued field, so phrases match neither across title and body
// nor across two speakers or entities.
//
// Fields: "text" (title, then body, as two values of one TextField, not
// stored), "speaker" and "entity" (one TextField value per name), "date"
// (IntPoint YYYYMMDD) and "id" (StoredField).
//
// Queries use the classic QueryParser syntax on default field "text",
// default operator AND, with date:[20240101 TO 20241231] (either end may be
// *) and date:20240101 turned into IntPoint queries. Ranking: BM25Similarity
// (k1 = 1.2, b = 0.75). A purely negative query is written "*:* -word".
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class LuceneEngine {
  static final int POSITION_GAP = 100;

  private LuceneEngine() {}

  /** StandardAnalyzer without stop words, with a gap between field values. */
  static Analyzer analyzer() {
    final Analyzer standard = new StandardAnalyzer(CharArraySet.EMPTY_SET);
    return new AnalyzerWrapper(standard.getReuseStrategy()) {
      @Override
      protected Analyzer getWrappedAnalyzer(String fieldName) {
        return standard;
      }

      @Override
      public int getPositionIncrementGap(String fieldName) {
        return POSITION_GAP;
      }
    };
  }

  // ---------------------------------------------------------------- input

  /** A malformed corpus line. */
  static final class BadRecord extends Exception {
    BadRecord(String message) {
      super(message);
    }
  }

  /**
   * One JSON Lines article, read by the same rules as ../article_json.c (which
   * follow `dateline index`): a blank id becomes FILE#RECORD, a missing or
   * invalid date leaves the article undated (date 0), names are trimmed and
   * empty ones dropped, entity objects give their "name".
   */
  static final class Article {
    String id;
    String title;
    String body;
    final List<String> speakers = new ArrayList<>();
    final List<String> entities = new ArrayList<>();
    int date;
    String badDate; // the text of a date that is not YYYY-MM-DD, else null

    private String s;
    private int i;
    private final StringBuilder sb = new StringBuilder();

    void parse(String line) throws BadRecord {
      s = line;
      i = 0;
      id = "";
      title = "";
      body = "";
      speakers.clear();
      entities.clear();
      date = 0;
      badDate = null;
      String dateText = null;
      boolean haveTitle = false, haveBody = false;
      ws();
      expect('{', "record is not a JSON object");
      ws();
      if (peek() == '}') {
        ++i;
      } else {
        for (;;) {
          ws();
          String key = string();
          ws();
          expect(':', "expected ':'");
          ws();
          switch (key) {
            case "id": id = orEmpty(idValue()); break;
            case "date": dateText = text("\"date\" must be a string"); break;
            case "title":
              title = text("\"title\" must be a string");
              haveTitle = title != null;
              title = orEmpty(title);
              break;
            case "body":
              body = text("\"body\" must be a string");
              haveBody = body != null;
              body = orEmpty(body);
              break;
            case "speakers": names(speakers, false, "\"speakers\" must be an array of strings"); break;
            case "entities":
              names(entities, true, "\"entities\" must be an array of names or {\"name\", \"type\"} objects");
              break;
            default: skipValue(1);
          }
          ws();
          if (peek() == ',') {
            ++i;
            continue;
          }
          expect('}', "expected ',' or '}'");
          break;
        }
      }
      ws();
      if (i != s.length()) throw new BadRecord("trailing characters after the object");
      if (!haveTitle && !haveBody) throw new BadRecord("record has neither \"title\" nor \"body\"");
      id = asciiTrim(id);
      if (dateText != null) {
        dateText = asciiTrim(dateText);
        if (!dateText.isEmpty()) {
          date = parseDate(dateText);
          if (date < 0) {
            date = 0;
            badDate = dateText;
          }
        }
      }
    }

    static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    static String asciiTrim(String t) {
      int b = 0, e = t.length();
      while (b < e && isSpace(t.charAt(b))) ++b;
      while (e > b && isSpace(t.charAt(e - 1))) --e;
      return t.substring(b, e);
    }

    private static String orEmpty(String v) {
      return v == null ? "" : v;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
        ++i;
      }
    }

    private void expect(char c, String message) throws BadRecord {
      if (i >= s.length() || s.charAt(i) != c) throw new BadRecord(message);
      ++i;
    }

    private boolean isNull() {
      if (s.startsWith("null", i)) {
        i += 4;
        return true;
      }
      return false;
    }

    private String text(String message) throws BadRecord {
      if (isNull()) return null;
      if (peek() != '"') throw new BadRecord(message);
      return string();
    }

    private String idValue() throws BadRecord {
      char c = peek();
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = i;
        if (c == '-') ++i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') ++i;
        char n = peek();
        if (n == '.' || n == 'e' || n == 'E') throw new BadRecord("\"id\" must be a string or an integer");
        return s.substring(start, i);
      }
      return text("\"id\" must be a string or an integer");
    }

    private void addName(List<String> out, String name) {
      name = asciiTrim(name);
      if (!name.isEmpty()) out.add(name);
    }

    private void names(List<String> out, boolean objectsOk, String message) throws BadRecord {
      if (isNull()) return;
      expect('[', message);
      ws();
      if (peek() == ']') {
        ++i;
        return;
      }
      for (;;) {
        ws();
        if (peek() == '"') {
          addName(out, string());
        } else if (objectsOk && peek() == '{') {
          entityObject(out);
        } else {
          throw new BadRecord(message);
        }
        ws();
        if (peek() == ',') {
          ++i;
          continue;
        }
        expect(']', "expected ',' or ']' in a name list");
        return;
      }
    }

    private void entityObject(List<String> out) throws BadRecord {
      String name = null;
      ++i;
      ws();
      if (peek() != '}') {
        for (;;) {
          ws();
          String key = string();
          ws();
          expect(':', "expected ':'");
          ws();
          if (key.equals("name")) {
            if (peek() != '"') throw new BadRecord("\"entities\": a \"name\" must be a string");
            name = string();
          } else {
            skipValue(2);
          }
          ws();
          if (peek() == ',') {
            ++i;
            continue;
          }
          break;
        }
      }
      expect('}', "expected ',' or '}'");
      if (name == null) throw new BadRecord("\"entities\": an object has no \"name\"");
      addName(out, name);
    }

    private String string() throws BadRecord {
      expect('"', "expected a string");
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '"') return s.substring(start, i++);
        if (c == '\\') break;
        ++i;
      }
      sb.setLength(0);
      sb.append(s, start, i);
      for (;;) {
        if (i >= s.length()) throw new BadRecord("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) throw new BadRecord("unterminated string");
        char e = s.charAt(i++);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u': {
            if (i + 4 > s.length()) throw new BadRecord("truncated \\u escape");
            int v = 0;
            for (int k = 0; k < 4; ++k) {
              int d = Character.digit(s.charAt(i + k), 16);
              if (d < 0) throw new BadRecord("bad \\u escape");
              v = v * 16 + d;
            }
            i += 4;
            sb.append(v == 0 ? ' ' : (char) v); // UTF-16 pairs need no work
            break;
          }
          default: throw new BadRecord("bad escape in string");
        }
      }
    }

    private void skipValue(int depth) throws BadRecord {
      if (depth > 64) throw new BadRecord("nested too deeply");
      ws();
      char c = peek();
      if (c == '"') {
        string();
      } else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        ++i;
        ws();
        if (peek() == close) {
          ++i;
          return;
        }
        for (;;) {
          ws();
          if (close == '}') {
            string();
            ws();
            expect(':', "expected ':'");
          }
          skipValue(depth + 1);
          ws();
          if (peek() == ',') {
            ++i;
            continue;
          }
          expect(close, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
          return;
        }
      } else if (s.startsWith("true", i)) {
        i += 4;
      } else if (s.startsWith("false", i)) {
        i += 5;
      } else if (s.startsWith("null", i)) {
        i += 4;
      } else {
        int start = i;
        while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) ++i;
        if (i == start) throw new BadRecord("unexpected character");
      }
    }

    private static int digits(String t, int from, int n) {
      int v = 0;
      for (int k = from; k < from + n; ++k) {
        char c = t.charAt(k);
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
      }
      return v;
    }

    private static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /** "YYYY-MM-DD" (optionally + 'T' or ' ' and a time) as YYYYMMDD, or -1. */
    static int parseDate(String t) {
      if (t.length() < 10 || t.charAt(4) != '-' || t.charAt(7) != '-') return -1;
      if (t.length() > 10 && t.charAt(10) != 'T' && t.charAt(10) != ' ') return -1;
      int y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
      if (y < 1 || m < 1 || m > 12 || d < 1) return -1;
      boolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      if (d > DAYS[m - 1] + (m == 2 && leap ? 1 : 0)) return -1;
      return y * 10000 + m * 100 + d;
    }
  }

  // ---------------------------------------------------------------- index

  static int index(Path dir, Path corpus) throws IOException {
    IndexWriterConfig cfg = new IndexWriterConfig(analyzer());
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    cfg.setRAMBufferSizeMB(512);
    cfg.setUseCompoundFile(false);
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setNoCFSRatio(0.0); // merged segments never compound either
    cfg.setMergePolicy(merges);
    cfg.setSimilarity(new BM25Similarity());

    long docs = 0, lineNo = 0, record = 0, skipped = 0;
    Article a = new Article();
    String fileName = corpus.getFileName() == null ? corpus.toString() : corpus.getFileName().toString();
    // An InputStreamReader replaces malformed UTF-8 (Files.newBufferedReader would throw).
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(Files.newInputStream(corpus), StandardCharsets.UTF_8), 1 << 20);
        Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, cfg)) {
      for (String line; (line = in.readLine()) != null; ) {
        ++lineNo;
        if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
        line = Article.asciiTrim(line);
        if (line.isEmpty()) continue;
        ++record;
        try {
          a.parse(line);
        } catch (BadRecord e) {
          System.err.println("lucene_engine: " + corpus + ":" + lineNo + ": " + e.getMessage() + "; skipped");
          ++skipped;
          continue;
        }
        if (a.badDate != null)
          System.err.println("lucene_engine: " + corpus + ":" + lineNo + ": invalid date \"" + a.badDate
              + "\" (expected YYYY-MM-DD); article kept undated");
        if (a.id.isEmpty()) a.id = fileName + "#" + record;
        Document doc = new Document();
        if (!a.title.isEmpty()) doc.add(new TextField("text", a.title, Field.Store.NO));
        doc.add(new TextField("text", a.body, Field.Store.NO));
        for (String name : a.speakers) doc.add(new TextField("speaker", name, Field.Store.NO));
        for (String name : a.entities) doc.add(new TextField("entity", name, Field.Store.NO));
        if (a.date != 0) doc.add(new IntPoint("date", a.date));
        doc.add(new StoredField("id", a.id));
        w.addDocument(doc);
        ++docs;
      }
      // Peers are measured with a fully merged index, like dateline's single
      // segment: one forceMerge at the end (its time counts as indexing).
      w.forceMerge(1);
      w.commit();
    }
    System.out.println("indexed " + docs + " docs");
    return skipped > 0 ? 1 : 0; // like `dateline index`: malformed records are skipped, and say so
  }

  // ---------------------------------------------------------------- serve

  /** Classic syntax, with the "date" field mapped to IntPoint queries. */
  static final class EngineQueryParser extends QueryParser {
    EngineQueryParser(Analyzer analyzer) {
      super("text", analyzer);
      setDefaultOperator(QueryParser.Operator.AND);
      setAllowLeadingWildcard(false);
      setSplitOnWhitespace(true);
    }

    private static int dateBound(String v) throws ParseException {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new ParseException("date bounds must be YYYYMMDD integers, not '" + v + "'");
      }
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
        boolean endInclusive) throws ParseException {
      if (!"date".equals(field)) return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
      long lo = part1 == null || part1.equals("*") ? Integer.MIN_VALUE : dateBound(part1);
      long hi = part2 == null || part2.equals("*") ? Integer.MAX_VALUE : dateBound(part2);
      if (!startInclusive && part1 != null && !part1.equals("*")) ++lo;
      if (!endInclusive && part2 != null && !part2.equals("*")) --hi;
      if (lo > Integer.MAX_VALUE || hi < Integer.MIN_VALUE || lo > hi)
        return IntPoint.newRangeQuery("date", 1, 0); // empty
      return IntPoint.newRangeQuery("date", (int) lo, (int) hi);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
      if ("date".equals(field)) return IntPoint.newExactQuery("date", dateBound(queryText));
      return super.getFieldQuery(field, queryText, quoted);
    }
  }

  static final class Server {
    private final IndexSearcher searcher;
    private final QueryParser parser;
    private final Set<String> idOnly = Collections.singleton("id");

    Server(Path dir) throws IOException {
      DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir));
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity());
      // No query cache: the driver repeats queries, and neither dateline nor
      // the other peers cache results or filters.
      searcher.setQueryCache(null);
      parser = new EngineQueryParser(analyzer());
    }

    String answer(String line) throws IOException {
      int tab = line.indexOf('\t');
      if (tab < 0) return "ERROR expected COMMAND<TAB>QUERY";
      String cmd = line.substring(0, tab);
      boolean wantCount = cmd.equals("COUNT") || cmd.equals("TOP10_COUNT");
      boolean wantTop = cmd.equals("TOP10") || cmd.equals("TOP10_COUNT");
      if (!wantCount && !wantTop) return "ERROR unknown command '" + cmd + "' (COUNT, TOP10, TOP10_COUNT)";
      String text = line.substring(tab + 1);
      if (text.isBlank()) return "ERROR empty query";
      Query q;
      try {
        q = parser.parse(text);
      } catch (ParseException e) {
        // The first line names the problem; the rest lists expected tokens.
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return "ERROR " + (nl < 0 ? m : m.substring(0, nl)).trim();
      }
      if (!wantTop) return Integer.toString(searcher.count(q));
      TopDocs top;
      if (wantCount) {
        TopScoreDocCollector c = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
        searcher.search(q, c);
        top = c.topDocs();
      } else {
        top = searcher.search(q, 10);
      }
      StringBuilder out = new StringBuilder();
      if (wantCount) out.append(top.totalHits.value);
      boolean first = !wantCount;
      for (ScoreDoc sd : top.scoreDocs) {
        if (!first) out.append('\t');
        first = false;
        out.append(searcher.doc(sd.doc, idOnly).get("id"));
      }
      return out.toString();
    }
  }

  static String safeAnswer(Server server, String line) {
    String reply;
    try {
      reply = server.answer(line);
    } catch (Exception | StackOverflowError e) {
      String m = e.getMessage();
      reply = "ERROR " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
    return reply.replace('\n', ' ').replace('\r', ' ');
  }

  static int serve(Path dir, boolean timing) throws IOException {
    if (!Files.isDirectory(dir)) { // FSDirectory.open would create it
      System.err.println("lucene_engine: cannot open " + dir + ": not a directory");
      return 1;
    }
    Server server;
    try {
      server = new Server(dir);
    } catch (IOException e) {
      System.err.println("lucene_engine: cannot open " + dir + ": " + e);
      return 1;
    }
    safeAnswer(server, "TOP10_COUNT\tthe");
    safeAnswer(server, "COUNT\tthe");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Writer out = new BufferedWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
    for (String line; (line = in.readLine()) != null; ) {
      long t0 = System.nanoTime();
      // One reply per line, an empty one too, like `dateline search --batch`.
      String reply = line.isEmpty() ? "ERROR empty request" : safeAnswer(server, line);
      if (timing) {
        long ns = System.nanoTime() - t0;
        out.write(Long.toString(ns));
        out.write('\t');
      }
      out.write(reply);
      out.write('\n');
      out.flush();
    }
    return 0;
  }

  public static void main(String[] args) {
    int rc;
    try {
      if (args.length == 3 && args[0].equals("index")) rc = index(Paths.get(args[1]), Paths.get(args[2]));
      else if (args.length == 2 && args[0].equals("serve")) rc = serve(Paths.get(args[1]), false);
      else if (args.length == 3 && args[0].equals("serve") && args[2].equals("--timing"))
        rc = serve(Paths.get(args[1]), true);
      else {
        System.err.println("usage: lucene_engine index INDEX_DIR CORPUS.jsonl\n"
            + "       lucene_engine serve INDEX_DIR [--timing]   (requests on stdin)");
        rc = 1;
      }
    } catch (Exception e) {
      System.err.println("lucene_engine: " + e);
      rc = 1;
    }
    System.exit(rc);
  }
}

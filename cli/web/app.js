// The search page of `dateline serve`: reads its state from the URL
// (?q=&page=&sort= or ?article=ID), asks the JSON API, and draws results,
// facets, a timeline and articles with DOM nodes (never HTML strings, so
// every text is escaped). Vanilla JS, no dependencies.
'use strict';

const PER_PAGE = 10;
const FACET_FIELDS = 'speaker,person,org,place,month';
const FACET_LABELS = {speaker: 'Speakers', person: 'People', org: 'Organisations', place: 'Places', month: 'Months'};
const FACET_QUERY_FIELD = {speaker: 'speaker', person: 'person', org: 'org', place: 'place', month: 'date'};
const $ = (id) => document.getElementById(id);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
let requestSeq = 0;  // answers to an older request are dropped

// ---- DOM helpers ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// Appends `text` to `parent` with the byte ranges [[start, end], ...] (UTF-8,
// as the API gives them) wrapped in <mark class=cls>.
function appendMarked(parent, text, ranges, cls = '') {
  const bytes = utf8.encode(text);
  let at = 0;
  for (const [b, e] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (b < at || e > bytes.length || b >= e) continue;
    parent.append(fromUtf8.decode(bytes.subarray(at, b)));
    parent.append(el('mark', cls ? {class: cls} : {}, fromUtf8.decode(bytes.subarray(b, e))));
    at = e;
  }
  parent.append(fromUtf8.decode(bytes.subarray(at)));
}

// ---- URL state ----

function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') || '',
    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
    sort: p.get('sort') || 'relevance',
    article: p.get('article') || '',
  };
}

function stateUrl(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.article) p.set('article', s.article);
  const qs = p.toString();
  return '/' + (qs ? '?' + qs : '');
}

function navigate(s) {
  history.pushState(null, '', stateUrl(s));
  render();
}

// A link that navigates within the page (and still works as a plain link).
function pageLink(s, text, attrs = {}) {
  return el('a', {...attrs, href: stateUrl(s), onclick: (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    navigate(s);
  }}, text);
}

// ---- Query editing ----

// `q` with `clause` added (the query parenthesised when it has an OR, so
// the clause narrows all of it).
function withClause(q, clause) {
  q = q.trim();
  if (q.includes(clause)) return q;
  if (/\bOR\b/.test(q)) q = '(' + q + ')';
  return q ? q + ' ' + clause : clause;
}

function facetClause(field, value) {
  const f = FACET_QUERY_FIELD[field] || field;
  if (f === 'date') return 'date:' + value;
  return f + ':"' + value.replace(/"/g, '') + '"';
}

// The days a period label covers: "2024" -> 2024-01-01..2024-12-31,
// "2024-11" -> 2024-11-01..2024-11-30, a day (or a week's Monday) as given.
function periodDays(label, by) {
  if (by === 'year') return [label + '-01-01', label + '-12-31'];
  if (by === 'month') {
    const [y, m] = label.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return [label + '-01', label + '-' + String(last).padStart(2, '0')];
  }
  if (by === 'week') {
    const d = new Date(label + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 6);
    return [label, d.toISOString().slice(0, 10)];
  }
  return [label, label];
}

function withDateRange(q, from, to) {
  const rest = q.replace(/(^|\s)date:\S+/g, ' ').replace(/\s+/g, ' ').trim();
  return withClause(rest, 'date:' + from + '..' + to);
}

// ---- API ----

async function api(path, params) {
  const res = await fetch(path + '?' + new URLSearchParams(params).toString());
  const body = await res.json();
  if (!res.ok) throw Object.assign(new Error(body.error || res.statusText), {column: body.column});
  return body;
}

// ---- Rendering: search ----

function showMessage(...nodes) {
  $('message').replaceChildren(...nodes);
}

function showError(q, err) {
  const box = el('div', {class: 'error'}, el('strong', {}, 'Cannot search: '), err.message);
  if (typeof err.column === 'number') {
    const chars = fromUtf8.decode(utf8.encode(q).subarray(0, err.column)).length;
    box.append(el('pre', {}, q + '\n' + ' '.repeat(chars) + '^'));
  }
  showMessage(box);
}

function entityLine(label, names) {
  if (!names || !names.length) return null;
  const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? ' …' : '');
  return el('div', {class: 'entities'}, el('span', {class: 'label'}, label + ': '), shown);
}

function quotesList(quotes) {
  if (!quotes || !quotes.length) return null;
  return el('ul', {class: 'quotes'}, ...quotes.map((qt) =>
    el('li', {}, el('span', {class: 'speaker'}, (qt.speaker || 'Unnamed source') + ': '),
       el('q', {}, qt.text || ''))));
}

// A heading for an article without a title: its opening words.
function untitled(text) {
  const words = (text || '').replace(/^…\s*/, '').split(/\s+/).slice(0, 12).join(' ');
  return words ? words + ' …' : '(untitled)';
}

function hitItem(hit, s) {
  const snippet = el('p', {class: 'snippet'});
  appendMarked(snippet, hit.snippet, hit.highlights);
  return el('li', {class: 'hit'},
    el('div', {class: 'hit-head'},
       pageLink({...s, article: hit.id}, hit.title || hit.display_title || untitled(hit.snippet), {class: 'title'}),
       el('span', {class: 'date'}, hit.date || 'undated')),
    snippet,
    quotesList(hit.quotes),
    entityLine('Speakers', hit.speakers),
    entityLine('People', (hit.people || []).filter((n) => !(hit.speakers || []).includes(n))),
    entityLine('Organisations', hit.organizations),
    entityLine('Places', hit.places),
    el('div', {class: 'meta'}, hit.id + (hit.source ? ' · ' + hit.source : '')));
}

function renderHits(data, s) {
  const first = (s.page - 1) * PER_PAGE;
  const summary = el('p', {class: 'summary'},
    el('strong', {id: 'total'}, String(data.total)), data.total === 1 ? ' article matches' : ' articles match');
  if (data.hits.length) summary.append(` · ${first + 1}–${first + data.hits.length}`);
  const notes = (data.notes || []).map((n) => el('p', {class: 'note'}, n));
  showMessage(summary, ...notes);
  $('hits').replaceChildren(...data.hits.map((h) => hitItem(h, s)));
  $('hits').start = first + 1;
  renderPager(data.total, s);
}

function renderPager(total, s) {
  const pages = Math.ceil(total / PER_PAGE);
  const nav = $('pager');
  nav.replaceChildren();
  if (pages <= 1) return;
  if (s.page > 1) nav.append(pageLink({...s, page: s.page - 1}, '← Previous', {rel: 'prev'}));
  nav.append(el('span', {class: 'page-of'}, `page ${s.page} of ${pages}`));
  if (s.page < pages) nav.append(pageLink({...s, page: s.page + 1}, 'Next →', {rel: 'next'}));
}

function renderFacets(data, s) {
  const blocks = [];
  for (const [field, f] of Object.entries(data.facets)) {
    if (!f.values.length) continue;
    const items = f.values.map((v) => el('li', {},
      pageLink({...s, q: withClause(s.q, facetClause(field, v.value)), page: 1}, v.value,
               {class: 'facet-value', 'data-field': field, 'data-value': v.value}),
      el('span', {class: 'count'}, String(v.count))));
    blocks.push(el('section', {class: 'facet'}, el('h3', {}, FACET_LABELS[field] || field), el('ul', {}, ...items)));
  }
  $('facets').replaceChildren(...blocks);
}

// ---- Rendering: timeline ----

function renderTimeline(data, s) {
  const section = $('timeline');
  const counts = data.series.length ? data.series[0].counts : [];
  if (counts.length < 2) { section.hidden = true; return; }
  section.hidden = false;
  const W = 900, H = 140, top = 10, bottom = 22, left = 36;
  const n = counts.length, bw = (W - left) / n, max = Math.max(1, ...counts);
  const svg = svgEl('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
                            'aria-label': 'Matching articles per ' + data.by});
  const y = (c) => top + (H - top - bottom) * (1 - c / max);
  svg.append(svgEl('line', {x1: left, x2: W, y1: H - bottom, y2: H - bottom, class: 'axis'}));
  const maxLabel = svgEl('text', {x: left - 4, y: top + 8, class: 'tick', 'text-anchor': 'end'});
  maxLabel.textContent = String(max);
  svg.append(maxLabel);
  const every = Math.ceil(n / 10);
  counts.forEach((c, i) => {
    const bar = svgEl('rect', {x: left + i * bw + 1, y: y(c), width: Math.max(1, bw - 2),
                               height: H - bottom - y(c), class: 'bar', tabindex: '0'});
    const tip = svgEl('title');
    tip.textContent = `${data.periods[i]}: ${c}`;
    bar.append(tip);
    bar.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') pickRange(data, s, i, i); });
    svg.append(bar);
    if (i % every === 0) {
      const t = svgEl('text', {x: left + i * bw + bw / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle'});
      t.textContent = data.periods[i];
      svg.append(t);
    }
  });
  makeDraggable(svg, data, s, {W, H, left, bw, n});
  $('chart').replaceChildren(svg);
}

function pickRange(data, s, i, j) {
  const [a, b] = [Math.min(i, j), Math.max(i, j)];
  const from = periodDays(data.periods[a], data.by)[0], to = periodDays(data.periods[b], data.by)[1];
  navigate({...s, q: withDateRange(s.q, from, to), page: 1, article: ''});
}

// Dragging across the chart selects periods; releasing sets date:FROM..TO.
function makeDraggable(svg, data, s, g) {
  const band = svgEl('rect', {y: 0, height: g.H, class: 'selection', visibility: 'hidden'});
  svg.append(band);
  const index = (ev) => {
    const box = svg.getBoundingClientRect();
    const x = (ev.clientX - box.left) * g.W / box.width;
    return Math.min(g.n - 1, Math.max(0, Math.floor((x - g.left) / g.bw)));
  };
  let start = null;
  const show = (i, j) => {
    const [a, b] = [Math.min(i, j), Math.max(i, j)];
    band.setAttribute('x', g.left + a * g.bw);
    band.setAttribute('width', (b - a + 1) * g.bw);
    band.setAttribute('visibility', 'visible');
  };
  svg.addEventListener('mousedown', (ev) => { ev.preventDefault(); start = index(ev); show(start, start); });
  svg.addEventListener('mousemove', (ev) => { if (start !== null) show(start, index(ev)); });
  svg.addEventListener('mouseleave', () => { start = null; band.setAttribute('visibility', 'hidden'); });
  svg.addEventListener('mouseup', (ev) => {
    if (start === null) return;
    const i = start;
    start = null;
    pickRange(data, s, i, index(ev));
  });
}

async function loadTimeline(s, seq) {
  let data = await api('/api/timeline', {q: s.q, by: 'month'});
  if (data.periods.length > 60) data = await api('/api/timeline', {q: s.q, by: 'year'});
  if (seq === requestSeq) renderTimeline(data, s);
}

// ---- Rendering: article ----

function renderArticle(a, s) {
  const body = el('div', {class: 'body'});
  appendMarked(body, a.body, (a.quotes || []).map((qt) => [qt.start, qt.end]), 'quote');
  const back = s.q ? pageLink({...s, article: ''}, '← Back to the results', {class: 'back'}) : null;
  const parts = [
    back,
    el('h1', {}, a.title || untitled(a.body)),
    el('p', {class: 'meta'}, [a.date || 'undated', a.source, a.author, a.id].filter(Boolean).join(' · ')),
    a.url ? el('p', {}, el('a', {href: a.url, rel: 'noreferrer'}, a.url)) : null,
    entityLine('Speakers', a.speakers), entityLine('People', a.people),
    entityLine('Organisations', a.organizations), entityLine('Places', a.places),
    body,
    a.quotes && a.quotes.length ? el('h2', {}, 'Quotations') : null,
    quotesList(a.quotes)];
  $('article').replaceChildren(...parts.filter((p) => p !== null));
}

// ---- Page ----

function setMode(mode) {
  $('layout').hidden = mode !== 'results';
  $('article').hidden = mode !== 'article';
  $('help').hidden = mode !== 'help';
  if (mode !== 'results') $('timeline').hidden = true;
}

async function render() {
  const s = readState();
  const seq = ++requestSeq;
  $('q').value = s.q;
  $('sort').value = s.sort;
  document.body.dataset.ready = '';
  document.title = s.q ? s.q + ' · dateline' : 'dateline';
  try {
    if (s.article) await showArticle(s, seq);
    else if (s.q) await showResults(s, seq);
    else { setMode('help'); showMessage(); }
  } catch (err) {
    if (seq !== requestSeq) return;
    setMode(s.article ? 'article' : 'help');
    showError(s.article ? 'article ' + s.article : s.q, err);
  }
  if (seq === requestSeq) document.body.dataset.ready = s.article ? 'article:' + s.article : s.q;
}

async function showArticle(s, seq) {
  const a = await api('/api/article/' + encodeURIComponent(s.article), {});
  if (seq !== requestSeq) return;
  setMode('article');
  showMessage();
  renderArticle(a, s);
  document.title = (a.title || a.id) + ' · dateline';
}

async function showResults(s, seq) {
  const base = {q: s.q};
  const [hits, facets] = await Promise.all([
    api('/api/search', {...base, page: s.page, per_page: PER_PAGE, sort: s.sort}),
    api('/api/facets', {...base, fields: FACET_FIELDS, limit: 8}),
  ]);
  if (seq !== requestSeq) return;
  setMode('results');
  renderHits(hits, s);
  renderFacets(facets, s);
  await loadTimeline(s, seq).catch(() => { $('timeline').hidden = true; });
}

$('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = $('q').value.trim();
  if (q) navigate({q, page: 1, sort: $('sort').value, article: ''});
});
$('sort').addEventListener('change', () => {
  const s = readState();
  if (s.q) navigate({...s, sort: $('sort').value, page: 1, article: ''});
});
window.addEventListener('popstate', render);
render().then(() => $('q').focus());

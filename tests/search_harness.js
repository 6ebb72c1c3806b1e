// Runs a built site's own search code (searchtools.js, language_data.js, searchindex.js) in Node.
//   node search_harness.js <outdir> search '["query", ...]'  -> {"query": [[docname, title], ...], ...}
//   node search_harness.js <outdir> stem '["word", ...]'     -> {"word": "stem", ...}
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [outdir, mode, json] = process.argv.slice(2);
const element = () => ({ appendChild: (child) => child, removeChild() {}, classList: { add() {} }, dataset: {} });
const context = {
  console,
  URLSearchParams,
  SPHINX_HIGHLIGHT_ENABLED: false,
  _ready: () => {},
  localStorage: { setItem() {} },
  document: {
    readyState: "complete",
    addEventListener() {},
    getElementById: () => null,
    createElement: element,
    documentElement: { dataset: {} },
    body: element(),
  },
};
context.window = context;
vm.createContext(context);
const files = ["_static/documentation_options.js", "_static/searchtools.js", "_static/language_data.js", "searchindex.js"];
for (const file of files) {
  vm.runInContext(fs.readFileSync(path.join(outdir, file), "utf8"), context, { filename: file });
}
context.__input = JSON.parse(json);
const code = {
  search: `Object.fromEntries(__input.map((q) => {
    const [query, terms, excluded, highlight, objects] = Search._parseQuery(q);
    const results = Search._performSearch(query, terms, excluded, highlight, objects);
    return [q, results.map((r) => [r[0], r[1]])];
  }))`,
  stem: `(() => { const s = new Stemmer(); return Object.fromEntries(__input.map((w) => [w, s.stemWord(w.toLowerCase())])); })()`,
}[mode];
process.stdout.write(JSON.stringify(vm.runInContext(code, context)));

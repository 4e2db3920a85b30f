// Reads a .bib file the way a reference manager imports it and prints CSL-JSON.
// Usage: node import-bib.js refs.bib
const fs = require("fs");
const { Cite } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");

const items = new Cite(fs.readFileSync(process.argv[2], "utf8"), {
  forceType: "@biblatex/text",
}).data.map(({ _graph, ...item }) => item);
process.stdout.write(JSON.stringify(items));

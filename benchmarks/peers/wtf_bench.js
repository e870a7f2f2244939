#!/usr/bin/env node
// wtf_wikipedia over page texts, for benchmarks/bench_dump.py.
//
//     node benchmarks/peers/wtf_bench.js TEXTS.jsonl    # one JSON string (a page text) a line
//     node benchmarks/peers/wtf_bench.js --version
//
// For each text: wtf(text), then .json(), the references (each .json(): the raw citation
// parameters) and the categories.  Prints one JSON line: wtf_wikipedia's version, the pages
// and UTF-8 text bytes seen, what was found, and the CPU seconds (user + system) of the parse
// loop alone and of the whole process so far (process.cpuUsage(): every thread of the
// process, the garbage collector's included).  Install: `npm install` in this folder.
'use strict';

const fs = require('fs');
const wtf = require('wtf_wikipedia');

function cpuSeconds(usage) {
  return (usage.user + usage.system) / 1e6;
}

function main(argv) {
  if (argv[0] === '--version') {
    process.stdout.write(`${wtf.version}\n`);
    return 0;
  }
  if (argv.length !== 1) {
    process.stderr.write('usage: wtf_bench.js TEXTS.jsonl | --version\n');
    return 2;
  }
  const texts = [];
  let textBytes = 0;
  for (const line of fs.readFileSync(argv[0], 'utf8').split('\n')) {
    if (!line) continue;
    const text = JSON.parse(line);
    texts.push(text);
    textBytes += Buffer.byteLength(text, 'utf8');
  }
  const found = { references: 0, categories: 0, json_keys: 0 };
  const start = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (const text of texts) {
    const doc = wtf(text);
    const json = doc.json();
    const refs = doc.references().map((ref) => ref.json());
    const cats = doc.categories();
    found.references += refs.length;
    found.categories += cats.length;
    found.json_keys += Object.keys(json).length; // use the result, cheaply
  }
  const loopWall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const loopCpu = cpuSeconds(process.cpuUsage(start));
  process.stdout.write(
    JSON.stringify({
      version: wtf.version,
      node: process.version,
      pages: texts.length,
      text_bytes: textBytes,
      references: found.references,
      categories: found.categories,
      json_keys: found.json_keys,
      loop_cpu_s: loopCpu,
      loop_wall_s: loopWall,
      process_cpu_s: cpuSeconds(process.cpuUsage()),
    }) + '\n',
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));

// The validator page against `csa validate` on the same police.uk file
// (issue 18): wall time of each, the page's reports checked equal to the
// command's JSON. The page runs in headless Chromium (puppeteer-core from
// web/node_modules: `npm ci --prefix web`), its WebAssembly module reading
// the file a megabyte at a time through FileReader; the command is a
// release or plain build of csa, run in the file's folder on its bare name
// (the name the page knows), so the reports agree byte for byte.
//
// Each run of the page: the file is chosen through the page's file input
// and timed from then until the page's state is "done" (its report
// written and shown), in the page's own clock (performance.now). Each run
// of the command: a fresh process, `csa validate --spec police-street
// --format json FILE`, timed around it. Runs alternate (command, page,
// command, page, ...) so that drift in load spreads over both; the file is
// read once first so both start with it in the page cache. Medians are
// given, with every run.
//
// usage: node bench/validator-page.js CSA PAGE FILE... [--runs N] [--set]
//   several FILEs: each one alone, or with --set all of them as one set
//   (the page's files chosen at once; the command's in name order)
"use strict";
const {execFileSync} = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const {pathToFileURL} = require("node:url");
const {performance} = require("node:perf_hooks");
const puppeteer = require(path.join(__dirname, "..", "web", "node_modules", "puppeteer-core"));

const argv = process.argv.slice(2);
let runs = 3, set = false;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--runs")
    runs = Number(argv[++i]);
  else if (argv[i] === "--set")
    set = true;
  else
    files.push(path.resolve(argv[i]));
}
const [csa, page] = files.splice(0, 2);
if (!csa || !page || !files.length || !(runs > 0)) {
  console.error("usage: node bench/validator-page.js CSA PAGE FILE... [--runs N] [--set]");
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function command(dir, names) {
  const t0 = performance.now();
  let out;
  try {
    out = execFileSync(csa, ["validate", "--spec", "police-street", "--format", "json", ...names],
                       {cwd: dir, maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "ignore"]});
  } catch (e) {
    if (typeof e.status !== "number")
      throw e;
    out = e.stdout;
  }
  return {seconds: (performance.now() - t0) / 1000, json: out.toString("utf-8")};
}

async function viaPage(tab, paths, names) {
  await tab.evaluate(() => {
    window.csaReport = null;
    document.getElementById("file").value = "";
  });
  await tab.evaluate(() => { window.benchStart = performance.now(); });
  await (await tab.$("#file")).uploadFile(...paths);
  await tab.waitForFunction((name) => document.body.dataset.state === "done" && window.csaReport &&
    window.csaReport.name === name, {timeout: 0, polling: 100}, names.join("/"));
  return tab.evaluate(() => ({seconds: (performance.now() - window.benchStart) / 1000,
                              json: window.csaReport.json, messages: window.csaReport.messages}));
}

(async () => {
  const jobs = set ? [files] : files.map((f) => [f]);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  let failures = 0;
  try {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForFunction(() => document.body.dataset.state === "ready", {timeout: 60000});
    for (const job of jobs) {
      const dir = path.dirname(job[0]);
      if (!job.every((f) => path.dirname(f) === dir))
        throw new Error("the files of a set must be in one folder");
      const names = job.map((f) => path.basename(f))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const paths = names.map((n) => path.join(dir, n));
      const bytes = paths.reduce((n, p) => n + fs.statSync(p).size, 0);
      for (const p of paths)  // into the page cache
        execFileSync("cat", [p], {stdio: ["ignore", "ignore", "ignore"]});
      const cli = [], web = [];
      let want = null;
      for (let r = 0; r < runs; r++) {
        const c = command(dir, names);
        const w = await viaPage(tab, paths, names);
        if (want === null)
          want = c.json;
        if (c.json !== want || w.json !== want || w.messages) {
          failures++;
          console.log(`FAIL run ${r + 1}: the page's JSON report is not csa validate's` +
                      (w.messages ? ` (the page says: ${w.messages})` : ""));
        }
        cli.push(c.seconds);
        web.push(w.seconds);
      }
      const doc = JSON.parse(want);
      const rows = (doc.set || doc.files[0]).rows;
      const fmt = (xs) => xs.map((x) => x.toFixed(2)).join(" ");
      console.log(`${names.length > 1 ? names.length + " files as a set" : names[0]}: ` +
                  `${rows.toLocaleString("en-GB")} rows, ${(bytes / 1048576).toFixed(1)} MB`);
      console.log(`  csa validate   median ${median(cli).toFixed(2)} s  (runs ${fmt(cli)})`);
      console.log(`  validator page median ${median(web).toFixed(2)} s  (runs ${fmt(web)})`);
      console.log(`  page / command: ${(median(web) / median(cli)).toFixed(2)}; ` +
                  `page ${(bytes / 1048576 / median(web)).toFixed(1)} MB/s; reports equal: ` +
                  `${failures ? "NO" : "yes"}`);
    }
  } finally {
    await browser.close();
  }
  process.exit(failures ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

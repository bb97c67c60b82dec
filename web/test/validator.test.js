// The validator page (build/web/validator.html) in headless Chromium,
// against `csa validate` on the same files: every file of the validation
// corpus (tests/validate, with the spec and options of expected.tsv, which
// tests/golden/check-validate.py reads too; lookup.csv as an area-lookup)
// and the three police.uk sample months joined into one 1.4 MB file (read
// in two chunks) is chosen through the page's file input, and the page's
// JSON and text reports must be the command's, character for character.
// The CLI runs in the file's folder on its bare name, the name the page
// knows a file by, so the reports' "file" fields agree with no rewriting.
// No request may leave the page but for itself and data: URLs (the inline
// WebAssembly module), and the browser may log no error (the page's
// Content-Security-Policy would log any fetch it blocks).
//
// usage: node validator.test.js CSA SOURCE_ROOT PAGE SCREENSHOT
"use strict";
const assert = require("node:assert/strict");
const {execFileSync} = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const {pathToFileURL} = require("node:url");
const puppeteer = require("puppeteer-core");

const [csa, root, page, screenshot] = process.argv.slice(2).map((p) => path.resolve(p));
const corpus = path.join(root, "tests", "validate");
const decoder = new TextDecoder("utf-8");

// csa validate on a file, run in its folder: [JSON, text, exit status]
function cli(dir, file, spec, args) {
  const run = (format) => {
    try {
      return [execFileSync(csa, ["validate", "--spec", spec, ...format, ...args, file],
                           {cwd: dir, stdio: ["ignore", "pipe", "pipe"]}), 0];
    } catch (e) {
      if (typeof e.status !== "number")
        throw e;
      return [e.stdout, e.status];
    }
  };
  const [json, status] = run(["--format", "json"]);
  return {json: decoder.decode(json), text: decoder.decode(run([])[0]), status};
}

// the cases: expected.tsv's files with their spec and options, each once
function corpusCases() {
  const cases = new Map();
  for (const line of fs.readFileSync(path.join(corpus, "expected.tsv"), "utf-8").split("\n")) {
    if (!line.trim() || line.startsWith("#"))
      continue;
    const [file, spec, args] = line.split("\t");
    cases.set(file, {dir: corpus, file, spec, args: args === "-" ? [] : args.split(" ")});
  }
  const csvs = fs.readdirSync(corpus).filter((f) => f.endsWith(".csv")).sort();
  for (const f of csvs)
    if (!cases.has(f)) {
      // only the lookup is not a case of its own there
      assert.equal(f, "lookup.csv", `${f} is not in tests/validate/expected.tsv`);
      cases.set(f, {dir: corpus, file: f, spec: "area-lookup", args: []});
    }
  return [...cases.values()];
}

// the page's options from csa validate's arguments
function options(args) {
  const o = {period: "", area: "", lookup: ""};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "");
    assert.ok(name in o, `the page has no --${name}`);
    o[name] = args[i + 1];
  }
  return o;
}

async function check(tab, c) {
  const o = options(c.args);
  await tab.evaluate((spec, period, area) => {
    document.getElementById("spec").value = spec;
    document.getElementById("period").value = period;
    document.getElementById("area").value = area;
    document.getElementById("lookup").value = "";
  }, c.spec, o.period, o.area);
  if (o.lookup)
    await (await tab.$("#lookup")).uploadFile(path.join(c.dir, o.lookup));
  await (await tab.$("#file")).uploadFile(path.join(c.dir, c.file));
  await tab.waitForFunction((file, spec, period, area, lookup) => {
    const r = window.csaReport;
    return document.body.dataset.state === "done" && r && r.name === file &&
      r.options.spec === spec && r.options.period === period && r.options.area === area &&
      r.options.lookup === lookup;
  }, {timeout: 20000}, c.file, c.spec, o.period, o.area, o.lookup);
  return tab.evaluate(() => window.csaReport);
}

(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "csa-page-"));
  // three months of police.uk in one file, over 1 MB: the page reads it in
  // two chunks, the command in its own way
  const months = ["2018-10", "2018-11", "2018-12"].map((m) =>
    fs.readFileSync(path.join(root, "data-samples", "police", `${m}-milton-keynes-street.csv`), "utf-8"));
  const joined = months[0] + months.slice(1).map((t) => t.slice(t.indexOf("\n") + 1)).join("");
  fs.writeFileSync(path.join(tmp, "police-2018-q3.csv"), joined);
  assert.ok(joined.length > (1 << 20));
  const cases = corpusCases();
  cases.push({dir: tmp, file: "police-2018-q3.csv", spec: "police-street",
              args: ["--period", "2018-09:2018-12", "--area", "E01016796"]});

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  let failures = 0;
  try {
    const tab = await browser.newPage();
    await tab.setViewport({width: 1100, height: 900});
    const pageUrl = pathToFileURL(page).href;
    const requests = [], errors = [];
    tab.on("request", (r) => requests.push(r.url()));
    tab.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    tab.on("pageerror", (e) => errors.push(String(e)));
    const download = path.join(tmp, "downloads");
    const cdp = await tab.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", {behavior: "allow", downloadPath: download});
    await tab.goto(pageUrl);
    await tab.waitForFunction(() => document.body.dataset.state === "ready", {timeout: 20000});

    for (const c of cases) {
      const want = cli(c.dir, c.file, c.spec, c.args);
      const got = await check(tab, c);
      const label = `${c.file} (--spec ${c.spec} ${c.args.join(" ")})`;
      try {
        assert.equal(got.messages, "", `${label}: the page says: ${got.messages}`);
        assert.equal(got.json, want.json, `${label}: JSON report`);
        assert.equal(got.text, want.text, `${label}: text report`);
        assert.equal(got.status, want.status === 0 ? 0 : 1, `${label}: usable`);
        // what a partner sees: one table row per finding, the summary's figures
        const doc = JSON.parse(want.json).files[0];
        const shown = await tab.evaluate(() => ({
          rows: document.querySelectorAll("#findings tbody tr").length,
          advice: [...document.querySelectorAll("#findings .advice")].map((p) => p.textContent),
          summary: [...document.querySelectorAll("#summary dd")].map((d) => d.textContent),
          verdict: document.getElementById("verdict").textContent,
        }));
        assert.equal(shown.rows, doc.findings.length, `${label}: rows of findings shown`);
        assert.deepEqual(shown.summary, [doc.file, doc.spec, doc.rows, doc.usable_rows, doc.errors,
                                         doc.warnings, doc.notes].map((v) => v.toLocaleString("en-GB")),
                         `${label}: summary`);
        // what to do, once per check (errors first on the page)
        const rank = {error: 0, warning: 1, note: 2};
        const advice = doc.checks.map((c, i) => [c, i])
          .sort((a, b) => rank[a[0].severity] - rank[b[0].severity] || a[1] - b[1])
          .map(([c]) => doc.findings.find((f) => f.check === c.check))
          .filter((f) => f && f.advice).map((f) => "What to do: " + f.advice);
        assert.deepEqual(shown.advice, advice, `${label}: what to do`);
        assert.equal(shown.verdict.startsWith("This file can be used"), doc.usable, `${label}: verdict`);
        console.log(`ok ${label}: ${doc.rows} rows, ${doc.findings.length} findings`);
      } catch (e) {
        failures++;
        console.log(`FAIL ${e.message}`);
      }
    }

    // the report downloaded is the command's JSON, byte for byte
    const last = cases[cases.length - 1];
    await tab.click("#download-json");
    const saved = path.join(download, "police-2018-q3-validation.json");
    for (let i = 0; i < 100 && !fs.existsSync(saved); i++)
      await new Promise((r) => setTimeout(r, 50));
    const cmd = execFileSync(csa, ["validate", "--spec", last.spec, "--format", "json", ...last.args, last.file],
                             {cwd: last.dir});
    if (!fs.existsSync(saved) || !fs.readFileSync(saved).equals(cmd)) {
      failures++;
      console.log(`FAIL the JSON report downloaded (${saved}) is not csa validate's`);
    } else {
      console.log("ok Download report (JSON) saves csa validate's bytes");
    }

    // a period csa cannot read is said, in csa's words
    await tab.evaluate(() => {
      document.getElementById("period").value = "2018-13";
      document.getElementById("period").dispatchEvent(new Event("change"));
    });
    await tab.waitForFunction(() => document.body.dataset.state === "done" &&
      window.csaReport.options.period === "2018-13", {timeout: 20000});
    const said = await tab.evaluate(() => document.getElementById("problem").textContent);
    let cliSaid = "";
    try {
      execFileSync(csa, ["validate", "--spec", "police-street", "--period", "2018-13", "x.csv"],
                   {cwd: tmp, stdio: ["ignore", "pipe", "pipe"]});
    } catch (e) {
      cliSaid = decoder.decode(e.stderr).split("\n")[0].replace(/^csa: /, "");
    }
    if (!cliSaid || said.trim() !== cliSaid) {
      failures++;
      console.log(`FAIL a bad period: the page says "${said}", csa "${cliSaid}"`);
    } else {
      console.log(`ok a bad period: "${said}"`);
    }

    // a file dropped on the box is checked as one chosen
    const dropped = cases.find((c) => c.file === "bad-date.csv");
    await tab.evaluate(() => {
      for (const id of ["period", "area", "lookup"])
        document.getElementById(id).value = "";
    });
    await tab.evaluate(() => document.getElementById("drop").scrollIntoView());
    const box = await (await tab.$("#drop")).boundingBox();
    const data = {items: [], files: [path.join(dropped.dir, dropped.file)], dragOperationsMask: 1};
    for (const type of ["dragEnter", "dragOver", "drop"])
      await cdp.send("Input.dispatchDragEvent",
                     {type, x: box.x + box.width / 2, y: box.y + box.height / 2, data});
    await tab.waitForFunction((file) => document.body.dataset.state === "done" &&
      window.csaReport.name === file, {timeout: 20000}, dropped.file);
    const droppedJson = await tab.evaluate(() => window.csaReport.json);
    if (droppedJson !== cli(dropped.dir, dropped.file, dropped.spec, dropped.args).json) {
      failures++;
      console.log("FAIL a file dropped on the page: its report is not csa validate's");
    } else {
      console.log("ok a file dropped on the page is checked");
    }

    // from the dataset, the keyboard reaches the options and the file, in order
    await tab.focus("#spec");
    const order = ["spec"];
    for (let i = 0; i < 4; i++) {
      await tab.keyboard.press("Tab");
      order.push(await tab.evaluate(() => document.activeElement.id));
    }
    if (order.join(" ") !== "spec period area lookup file") {
      failures++;
      console.log(`FAIL the keyboard's order: ${order.join(" ")}`);
    } else {
      console.log(`ok the keyboard's order: ${order.join(" ")}`);
    }

    // a partner's view with findings: the damaged police file
    await check(tab, cases.find((c) => c.file === "damaged-police.csv"));
    await tab.screenshot({path: screenshot, fullPage: true});

    const foreign = requests.filter((u) => u !== pageUrl && !u.startsWith("data:"));
    if (foreign.length || !requests.includes(pageUrl)) {
      failures++;
      console.log(`FAIL requests other than the page and data: URLs: ${foreign.join(" ")}`);
    } else {
      console.log(`ok ${requests.length} requests, all the page itself or data: URLs`);
    }
    if (errors.length) {
      failures++;
      console.log(`FAIL the browser logged errors:\n  ${errors.join("\n  ")}`);
    }
  } finally {
    await browser.close();
    fs.rmSync(tmp, {recursive: true, force: true});
  }
  console.log(`${cases.length} files, ${failures} failures`);
  process.exit(failures ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

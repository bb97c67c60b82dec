// The validator page (build/web/validator.html) in headless Chromium,
// against `csa validate` on the same files: every file of the validation
// corpus (tests/validate, with the spec and options of expected.tsv, which
// tests/golden/check-validate.py reads too; lookup.csv as an area-lookup)
// and the three police.uk sample months joined into one 1.4 MB file (read
// in two chunks) is chosen through the page's file input, and the page's
// JSON and text reports must be the command's, character for character.
// Then sets of files, chosen at once as a partner drops monthly extracts
// (made here from data-samples/police): the page checks them in order of
// name with the set's checks, and its reports must be those of `csa
// validate` given the same files in that order (the order computed here
// from the names' bytes); each set must fire the set check it is made for.
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

// file names in byte order (UTF-8), as a shell would not necessarily give
// them but as the page checks them
function byBytes(names) {
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

// csa validate on a file, or on files in that order, run in their folder:
// [JSON, text, exit status]
function cli(dir, file, spec, args) {
  const files = Array.isArray(file) ? file : [file];
  const run = (format) => {
    try {
      return [execFileSync(csa, ["validate", "--spec", spec, ...format, ...args, ...files],
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
  // a set is chosen in the reverse of its order: the page sorts it
  const chosen = c.files ? [...c.files].reverse() : [c.file];
  await (await tab.$("#file")).uploadFile(...chosen.map((f) => path.join(c.dir, f)));
  const file = c.files ? c.files.join("/") : c.file;
  await tab.waitForFunction((file, spec, period, area, lookup) => {
    const r = window.csaReport;
    return document.body.dataset.state === "done" && r && r.name === file &&
      r.options.spec === spec && r.options.period === period && r.options.area === area &&
      r.options.lookup === lookup;
  }, {timeout: 20000}, file, c.spec, o.period, o.area, o.lookup);
  return tab.evaluate(() => window.csaReport);
}

// The sets: each in a folder of its own under dir, made from the police
// samples; `expect` is the set check each is made to fire (none: the set
// has no finding of its own but may have notes)
function setCases(dir) {
  const police = path.join(root, "data-samples", "police");
  const sample = (m) => fs.readFileSync(path.join(police, `${m}-milton-keynes-street.csv`), "utf-8");
  const oct = "2018-10-milton-keynes-street.csv", nov = "2018-11-milton-keynes-street.csv",
    dec = "2018-12-milton-keynes-street.csv";
  const made = [];
  const make = (name, files, args, expect) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, {recursive: true});
    for (const [f, text] of Object.entries(files))
      fs.writeFileSync(path.join(d, f), text);
    made.push({dir: d, files: byBytes(Object.keys(files)), file: name, spec: "police-street",
               args, expect});
  };
  // the October file and a copy of it saved as "... (1).csv"
  make("duplicate-content", {[oct]: sample("2018-10"), "2018-10-milton-keynes-street (1).csv": sample("2018-10")},
       [], "duplicate-file");
  // October, and its first thousand rows as an extract of the same month
  const octLines = sample("2018-10").split("\n");
  make("one-force-month-twice", {[oct]: sample("2018-10"), "extract.csv": octLines.slice(0, 1001).join("\n") + "\n"},
       [], "duplicate-month");
  // three October crimes added to November as if they were November's
  // (the samples have no quoted fields: a comma parts every field)
  const moved = octLines.slice(1).filter((l) => l && !l.startsWith(",")).slice(40, 43)
    .map((l) => { const f = l.split(","); f[1] = "2018-11"; return f.join(","); });
  assert.equal(moved.length, 3);
  make("shared-crime-ids", {[oct]: sample("2018-10"), [nov]: sample("2018-11") + moved.join("\n") + "\n"},
       [], "shared-id");
  make("clean-quarter", {[oct]: sample("2018-10"), [nov]: sample("2018-11"), [dec]: sample("2018-12")},
       ["--period", "2018-10:2018-12"], null);
  make("missing-month", {[oct]: sample("2018-10"), [dec]: sample("2018-12")},
       ["--period", "2018-10:2018-12"], "missing-month");
  // one file, through the same path
  made.push({dir: path.join(dir, "clean-quarter"), files: [nov], file: nov, spec: "police-street",
             args: ["--area", "E06000042", "--lookup", "lookup.csv"], expect: null, single: true});
  fs.copyFileSync(path.join(corpus, "lookup.csv"), path.join(dir, "clean-quarter", "lookup.csv"));
  // the corpus's own months: a month missing in one file, a partial one in another
  made.push({dir: corpus, files: byBytes(["partial-month.csv", "missing-month.csv"]), file: "corpus-months",
             spec: "police-street", args: [], expect: "duplicate-month"});
  return made;
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
  const sets = setCases(path.join(tmp, "sets"));

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

    for (const c of cases.concat(sets)) {
      const want = cli(c.dir, c.files || c.file, c.spec, c.args);
      const got = await check(tab, c);
      const label = c.files ? `set ${c.file}: ${c.files.join(" ")} (--spec ${c.spec} ${c.args.join(" ")})`
                            : `${c.file} (--spec ${c.spec} ${c.args.join(" ")})`;
      try {
        assert.equal(got.messages, "", `${label}: the page says: ${got.messages}`);
        assert.equal(got.json, want.json, `${label}: JSON report`);
        assert.equal(got.text, want.text, `${label}: text report`);
        assert.equal(got.status, want.status === 0 ? 0 : 1, `${label}: usable`);
        const full = JSON.parse(want.json);
        const several = full.files.length > 1;
        if (c.files) {
          // the set's own check fired, or none but notes for a clean set
          assert.equal(!!full.set, several, `${label}: a set's report`);
          if (several) {
            const own = full.set.checks.filter((k) => k.severity !== "note").map((k) => k.check);
            assert.deepEqual(c.expect ? own.filter((k) => k === c.expect) : own,
                             c.expect ? [c.expect] : [], `${label}: the set's checks are ${own.join(" ")}`);
            assert.deepEqual(full.files.map((f) => f.file), c.files, `${label}: the order of the files`);
          }
        }
        // what a partner sees: one table row per finding, the summary's
        // figures (a set's: its totals), what to do once per check
        const whole = full.set || full.files[0];
        const parts = (full.set ? [full.set] : []).concat(full.files); // as the page shows them
        const shown = await tab.evaluate(() => ({
          rows: document.querySelectorAll("#findings tbody tr").length,
          advice: [...document.querySelectorAll("#findings .advice")].map((p) => p.textContent),
          summary: [...document.querySelectorAll("#summary dd")].map((d) => d.textContent),
          overview: document.querySelectorAll("#overview tbody tr").length,
          verdict: document.getElementById("verdict").textContent,
        }));
        assert.equal(shown.rows, parts.reduce((n, p) => n + p.findings.length, 0), `${label}: rows of findings shown`);
        assert.equal(shown.overview, several ? full.files.length : 0, `${label}: the files listed`);
        assert.deepEqual(shown.summary, [several ? `${full.files.length} files checked together` : whole.file,
                                         whole.spec, whole.rows, whole.usable_rows, whole.errors,
                                         whole.warnings, whole.notes].map((v) => v.toLocaleString("en-GB")),
                         `${label}: summary`);
        // what to do, once per check (errors first on the page), each part in turn
        const rank = {error: 0, warning: 1, note: 2};
        const advice = parts.flatMap((doc) => doc.checks.map((c, i) => [c, i])
          .sort((a, b) => rank[a[0].severity] - rank[b[0].severity] || a[1] - b[1])
          .map(([c]) => doc.findings.find((f) => f.check === c.check))
          .filter((f) => f && f.advice).map((f) => "What to do: " + f.advice));
        assert.deepEqual(shown.advice, advice, `${label}: what to do`);
        assert.equal(/^(This file|These files) can be used/.test(shown.verdict), whole.usable, `${label}: verdict`);
        console.log(`ok ${label}: ${whole.rows} rows, ${parts.reduce((n, p) => n + p.findings.length, 0)} findings`);
      } catch (e) {
        failures++;
        console.log(`FAIL ${e.message}`);
      }
    }

    // a set's report downloaded is the command's JSON for the set
    {
      const last = sets.find((c) => c.file === "clean-quarter");
      await check(tab, last);
      await tab.click("#download-json");
      const saved = path.join(download, "3-files-validation.json");
      for (let i = 0; i < 100 && !fs.existsSync(saved); i++)
        await new Promise((r) => setTimeout(r, 50));
      const cmd = execFileSync(csa, ["validate", "--spec", last.spec, "--format", "json", ...last.args,
                                     ...last.files], {cwd: last.dir});
      if (!fs.existsSync(saved) || !fs.readFileSync(saved).equals(cmd)) {
        failures++;
        console.log(`FAIL the set's JSON report downloaded (${saved}) is not csa validate's`);
      } else {
        console.log("ok Download report (JSON) saves csa validate's bytes for a set");
      }
    }

    // two files of one name, from two folders: the page says so
    {
      const a = sets.find((c) => c.file === "duplicate-content"), b = sets.find((c) => c.file === "clean-quarter");
      const name = "2018-10-milton-keynes-street.csv";
      await (await tab.$("#file")).uploadFile(path.join(a.dir, name), path.join(b.dir, name));
      await tab.waitForFunction((n) => document.body.dataset.state === "done" &&
        window.csaReport.name === n + "/" + n, {timeout: 20000}, name);
      const said = await tab.evaluate(() => [document.getElementById("notice").hidden,
                                             document.getElementById("notice").textContent]);
      if (said[0] || !said[1].includes("\u201c" + name + "\u201d")) {
        failures++;
        console.log(`FAIL two files of one name: the page says "${said[1]}"`);
      } else {
        console.log(`ok two files of one name: "${said[1]}"`);
      }
    }

    // the report downloaded is the command's JSON, byte for byte
    const last = cases[cases.length - 1];
    await check(tab, last);
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

    // several files dropped at once are checked as a set, in order of name
    const droppedSet = sets.find((c) => c.file === "shared-crime-ids");
    const many = {items: [], files: [...droppedSet.files].reverse().map((f) => path.join(droppedSet.dir, f)),
                  dragOperationsMask: 1};
    for (const type of ["dragEnter", "dragOver", "drop"])
      await cdp.send("Input.dispatchDragEvent",
                     {type, x: box.x + box.width / 2, y: box.y + box.height / 2, data: many});
    await tab.waitForFunction((file) => document.body.dataset.state === "done" &&
      window.csaReport.name === file, {timeout: 20000}, droppedSet.files.join("/"));
    const droppedSetJson = await tab.evaluate(() => window.csaReport.json);
    if (droppedSetJson !== cli(droppedSet.dir, droppedSet.files, droppedSet.spec, droppedSet.args).json) {
      failures++;
      console.log("FAIL files dropped on the page together: their report is not csa validate's");
    } else {
      console.log(`ok ${droppedSet.files.length} files dropped together are checked as a set`);
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
    // and of a set: each file, then the set's own findings
    await check(tab, sets.find((c) => c.file === "one-force-month-twice"));
    await tab.screenshot({path: screenshot.replace(/\.png$/, "") + "-set.png", fullPage: true});

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
  console.log(`${cases.length} files, ${sets.length} sets, ${failures} failures`);
  process.exit(failures ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

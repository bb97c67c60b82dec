// Opens csa's assessment.html in headless chromium and checks what a
// reader and the accessibility regulations need of it:
//   - axe-core finds no violation of WCAG 2.0/2.1 A and AA;
//   - no request leaves the page (only the file itself and data: URLs);
//   - at 320 px wide the document does not scroll sideways (only the
//     tables' own regions may);
//   - screenshots at 1280 and 375 px wide, to be looked at.
// Usage: node check-page.js PAGE.html SCREENSHOT_DIR [CHROMIUM]
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [page_path, shots, browser_path = '/usr/bin/chromium'] = process.argv.slice(2);
if (!page_path || !shots) {
  console.error('usage: node check-page.js PAGE.html SCREENSHOT_DIR [CHROMIUM]');
  process.exit(2);
}
const url = 'file://' + path.resolve(page_path);
const axe_source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
  const failures = [];
  const browser = await puppeteer.launch({
    executablePath: browser_path,
    headless: true,
    // root in CI has no user namespace for chromium's sandbox
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage();
    const left = [];
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const u = req.url();
      if (u === url || u.startsWith('data:')) {
        req.continue();
      } else {
        left.push(u);
        req.abort();
      }
    });
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    if (left.length)
      failures.push(`requests leave the page: ${left.join(', ')}`);

    // axe-core: WCAG 2.0 and 2.1, levels A and AA
    await page.evaluate(axe_source);
    const result = await page.evaluate(async () =>
      await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`);
      failures.push(`axe ${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} element(s)\n${where.join('\n')}`);
    }
    console.log(`axe-core ${result.testEngine.version}: ${result.passes ? result.passes.length : 0} rules passed` +
                `, ${result.violations.length} violated, ${result.incomplete ? result.incomplete.length : 0} to review`);

    await page.screenshot({ path: path.join(shots, 'assessment-1280.png') });
    const shoot_indicator = async (width) => {
      const section = await page.$('section.indicator');
      if (section)
        await section.screenshot({ path: path.join(shots, `indicator-${width}.png`) });
    };
    await shoot_indicator(1280);

    // 320 px (WCAG 1.4.10 reflow): nothing but the tables' regions scrolls
    // sideways
    for (const width of [320, 375]) {
      await page.setViewport({ width, height: 800 });
      const over = await page.evaluate(() => {
        const doc = document.scrollingElement;
        const wide = [];
        if (doc.scrollWidth > doc.clientWidth) {
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > doc.clientWidth + 1 && !el.closest('.scroll') && wide.length < 5)
              wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className : ''} (right edge ${Math.round(r.right)})`);
          }
        }
        return { scroll: doc.scrollWidth, client: doc.clientWidth, body: document.body.scrollWidth, wide };
      });
      if (over.scroll > over.client || over.body > over.client)
        failures.push(`at ${width} px the page scrolls sideways: ${over.scroll} px of content in ${over.client}; ${over.wide.join(', ')}`);
    }
    await page.setViewport({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(shots, 'assessment-375.png') });
    await shoot_indicator(375);
    console.log(`screenshots: assessment-1280.png, assessment-375.png, indicator-1280.png and indicator-375.png in ${shots}`);
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log('no violations, no requests leave the page, no sideways scroll at 320 px');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

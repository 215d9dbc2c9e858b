// Every page of a built site in headless Chromium (playwright-core driving
// the system's chromium): axe-core with WCAG 2.1 A and AA and best practice,
// no violation allowed; and at 375 px wide, no page scrolls sideways.
//
//   node .ci/axe.js SITE_DIR [NODE_MODULES]
const path = require("path");
const fs = require("fs");
const modules = process.argv[3] || path.join(__dirname, "..", "target", "ci-tools", "node_modules");
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

function pages(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pages(p));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

(async () => {
  const site = path.resolve(process.argv[2]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  let problems = 0;
  const files = pages(site);
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    for (const file of files) {
      const rel = path.relative(site, file);
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto("file://" + file);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        await axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        })
      );
      for (const v of result.violations) {
        problems += 1;
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
        console.log(`${rel} (${scheme}): ${v.id} [${v.impact}] ${v.help} — ${v.nodes.length} node(s): ${where}`);
      }
      if (scheme === "light") {
        await page.setViewportSize({ width: 375, height: 800 });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > 375) {
          problems += 1;
          console.log(`${rel}: scrolls sideways at 375 px (${wide} px wide)`);
        }
      }
    }
    await context.close();
  }
  await browser.close();
  console.log(`${files.length} pages, light and dark: ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});

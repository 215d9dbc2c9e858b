// The README's screenshots, from a built example site in headless Chromium:
//   cargo run -- build --now "2026-11-26 14:00" --out target/ci-site
//   node .ci/screenshots.js target/ci-site docs/images [NODE_MODULES]
const path = require("path");
const site = path.resolve(process.argv[2]);
const out = path.resolve(process.argv[3]);
const modules = process.argv[4] || path.join(__dirname, "..", "target", "ci-tools", "node_modules");
const { chromium } = require(path.join(modules, "playwright-core"));

const shots = [
  ["dashboard.png", "index.html", null],
  ["release.png", "releases/2026-09-28/index.html", null],
  ["record.png", "releases/2026-12-07/index.html", null],
  ["search.png", "search/index.html?q=1235559", null],
];

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
  for (const [file, rel] of shots) {
    await page.goto("file://" + site + "/" + rel);
    await page.screenshot({ path: path.join(out, file) });
    console.log("wrote", path.join(out, file));
  }
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(2);
});

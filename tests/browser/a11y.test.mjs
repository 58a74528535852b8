// Accessibility and the Content-Security-Policy on the release build:
// axe-core (from node_modules, injected without network) in light and dark
// colour schemes, a keyboard walk through the side panel's tabs (the ARIA
// tabs pattern), visible focus, the tablet layout, and a page that runs
// under its CSP with no violation. Screenshots go to target/browser/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useSite, run, screenshotPath } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const site = useSite(before, after);

/** Opens the app on a fresh store, recording CSP violations from the start. */
async function fresh() {
  const page = await site.context.newPage();
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  await page.goto(`${site.server.origin}/`);
  await page.waitForSelector('[data-ready="true"]');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('[data-ready="true"]');
  return page;
}

/** Runs axe on the page (WCAG 2.x A and AA rules) and returns its violations. */
async function axe(page) {
  // Evaluated through the debugging protocol, so the page's CSP does not
  // apply to axe itself.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

const describe = (violations) => violations.map((v) => `${v.id} (${v.help}):\n  ${v.nodes.join('\n  ')}`).join('\n');

for (const scheme of ['light', 'dark']) {
  test(`axe finds no WCAG A/AA violation on any panel, ${scheme} scheme`, async () => {
    const page = await fresh();
    await page.emulateMedia({ colorScheme: scheme });
    await run(page, 'kubectl create serviceaccount build-robot');
    await run(page, 'kubectl get sa nobody');
    const tabs = page.getByRole('tab');
    const found = [];
    for (let i = 0; i < (await tabs.count()); i++) {
      await tabs.nth(i).click();
      const name = await tabs.nth(i).innerText();
      for (const v of await axe(page)) found.push({ ...v, id: `${name}: ${v.id}` });
    }
    await page.screenshot({ path: screenshotPath(`a11y-${scheme}`) });
    assert.deepEqual(found, [], `axe violations (${scheme}):\n${describe(found)}`);
    await page.close();
  });
}

test('keyboard: the tabs follow the ARIA tabs pattern and focus is visible', async () => {
  const page = await fresh();
  const tabs = page.getByRole('tab');
  const count = await tabs.count();
  assert.ok(count >= 3, `only ${count} tabs`);
  // Only the selected tab is in the Tab order; Tab from the command line
  // reaches it.
  await page.locator('#terminal-input').focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab');
  }
  assert.ok(reached, 'Tab never reached the tab list');
  const focused = () =>
    page.evaluate(() => ({
      text: document.activeElement.textContent,
      selected: document.activeElement.getAttribute('aria-selected'),
      outline: getComputedStyle(document.activeElement).outlineStyle,
      outlineWidth: parseFloat(getComputedStyle(document.activeElement).outlineWidth),
    }));
  const first = await focused();
  assert.equal(first.text, await tabs.nth(0).innerText());
  assert.equal(first.selected, 'true');
  assert.notEqual(first.outline, 'none', 'the focused tab shows no outline');
  assert.ok(first.outlineWidth >= 2, 'the focus outline is thinner than 2px');
  // → walks to each next tab, selecting it and showing its panel.
  const names = [];
  for (let i = 0; i < count; i++) names.push(await tabs.nth(i).innerText());
  for (let i = 1; i < count; i++) {
    await page.keyboard.press('ArrowRight');
    const now = await focused();
    assert.equal(now.text, names[i]);
    assert.equal(now.selected, 'true');
    const labelled = await page.locator('[role=tabpanel]').getAttribute('aria-labelledby');
    assert.equal(await page.locator(`#${labelled}`).innerText(), names[i], 'the panel is not labelled by its tab');
  }
  // → on the last wraps to the first; ← wraps back; End and Home.
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused()).text, names[0]);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused()).text, names[count - 1]);
  await page.keyboard.press('Home');
  assert.equal((await focused()).text, names[0]);
  await page.keyboard.press('End');
  assert.equal((await focused()).text, names[count - 1]);
  assert.equal(await page.locator('[role=tab][tabindex="0"]').count(), 1, 'more than one tab in the Tab order');
  // Tab leaves the tab list for the panel's content.
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'tab');
  await page.screenshot({ path: screenshotPath('a11y-keyboard-focus') });
  await page.close();
});

test('keyboard: the command line and the Import button show focus', async () => {
  const page = await fresh();
  await page.locator('#terminal-input').focus();
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.terminal'));
    return { outline: s.outlineStyle, shadow: s.boxShadow };
  });
  assert.ok(ring.outline !== 'none' || ring.shadow !== 'none', 'the terminal shows no focus');
  await page.locator('.session input[type=file]').focus();
  const label = await page.evaluate(() => getComputedStyle(document.querySelector('.session label.button')).outlineStyle);
  assert.notEqual(label, 'none', 'the focused Import button shows no outline');
  await page.close();
});

test('tablet: at 768×1024 the layout stacks and every control fits', async () => {
  const page = await fresh();
  await page.setViewportSize({ width: 768, height: 1024 });
  await run(page, 'kubectl get sa -A');
  const boxes = await page.evaluate(() => {
    const box = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
    return { terminal: box('.terminal'), side: box('.side'), width: document.documentElement.scrollWidth };
  });
  assert.ok(boxes.side.top >= boxes.terminal.bottom - 1, 'the side panel is not below the terminal');
  assert.ok(boxes.width <= 768, `the page scrolls sideways (${boxes.width}px wide)`);
  await page.screenshot({ path: screenshotPath('a11y-tablet'), fullPage: true });
  // A phone: long output wraps instead of widening the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await run(page, 'kubectl api-resources');
  const phone = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(phone <= 390, `at 390 px the page scrolls sideways (${phone}px wide)`);
  await page.setViewportSize({ width: 1280, height: 800 });
  const wide = await page.evaluate(() => {
    const t = document.querySelector('.terminal').getBoundingClientRect();
    const s = document.querySelector('.side').getBoundingClientRect();
    return { side: s.left >= t.right - 1, width: document.documentElement.scrollWidth };
  });
  assert.ok(wide.side, 'at 1280×800 the side panel is not beside the terminal');
  assert.ok(wide.width <= 1280);
  await page.screenshot({ path: screenshotPath('a11y-desktop') });
  await page.close();
});

test('CSP: the page declares a strict policy and runs with no violation', async () => {
  const html = readFileSync(join(ROOT, 'dist', 'index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  assert.ok(meta, 'no CSP meta tag in dist/index.html');
  const policy = meta[1];
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /unsafe-inline|[^-]unsafe-eval|https?:|\*/, `policy too loose: ${policy}`);
  assert.doesNotMatch(html, /nonce=/, 'a build-time nonce is left in the page');

  const page = await fresh();
  // Exercise what needs the policy: commands, the clock, every tab, export.
  await run(page, 'kubectl create serviceaccount build-robot');
  await page.getByRole('button', { name: 'Move the clock +1 h' }).click();
  const tabs = page.getByRole('tab');
  for (let i = 0; i < (await tabs.count()); i++) await tabs.nth(i).click();
  const download = page.waitForEvent('download', { timeout: 5000 }).catch(() => null);
  await page.getByRole('button', { name: 'Export' }).click();
  assert.ok(await download, 'Export started no download');
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, []);
  await page.close();
});

test('CSP: an injected inline script is refused', async () => {
  const page = await fresh();
  const ran = await page.evaluate(() => {
    window.__injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return window.__injected;
  });
  assert.equal(ran, false, 'an inline script ran: the policy does not protect the page');
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), `no violation reported: ${violations}`);
  await page.close();
});

for (const scheme of ['light', 'dark']) {
  test(`axe finds no WCAG A/AA violation in the Lessons panel's views, ${scheme} scheme`, async () => {
    const page = await fresh();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${site.server.origin}/?exercise=exercises/21-short-lived-token.yaml`);
    await page.waitForSelector('.lesson .goal.unmet');
    await run(page, 'kubectl create clusterrolebinding ci-admin --clusterrole=cluster-admin --serviceaccount=default:default');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    const found = [];
    for (const view of ['Exercises', 'Checks', 'Presets']) {
      await page.locator('.lessons .views').getByRole('button', { name: view }).click();
      for (const v of await axe(page)) found.push({ ...v, id: `Lessons/${view}: ${v.id}` });
    }
    await page.locator('.lessons .views').getByRole('button', { name: 'Checks' }).click();
    await page.screenshot({ path: screenshotPath(`a11y-lessons-${scheme}`) });
    assert.deepEqual(found, [], `axe violations (${scheme}):\n${describe(found)}`);
    await page.close();
  });
}

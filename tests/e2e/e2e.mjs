// End-to-end: the built browser app in Debian's Chromium against a real
// `rebalance serve` on a temporary SQLite database. A practitioner logs in,
// adds and invites a client, enters an assessment through the wizard (and
// finds the draft intact after a reload), reads the findings and body map,
// plans a program and changes a dose as a new version; the client accepts the
// invitation on a phone, runs today's session with the hold timer on a faked
// clock and logs it; the practitioner then sees the adherence. Any console
// error, uncaught exception or failed request fails the run. Screenshots of
// each main screen at 1280x800 and 375x812 go to --artifacts (and --docs).
//
//   node tests/e2e/e2e.mjs --binary build/rebalance --web web/dist --artifacts build/e2e-artifacts [--docs docs/screenshots]
import { readFileSync } from 'node:fs';
import { api, axeViolations, formatViolations, launch, parseArgs, Screens, SIZES, startServer, steps, watchedPage } from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const screens = new Screens(args.artifacts, args.docs);
const server = await startServer(args.binary, args.web);
const { browser, close } = await launch();
const TIMEOUT = 15000;

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Fails when the page is wider than its viewport (sideways scrolling on a phone). */
async function fitsWidth(page, name) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll <= width, `${name}: the page is ${scroll} px wide in a ${width} px viewport`);
}

// The handout (GET /api/v1/programs/{id}/handout.html, rendered by the server)
// is checked by axe too once its rewrite lands; until then its violations are
// printed but do not fail the run.
const CHECK_HANDOUT_A11Y = true;

/** Fails when axe finds WCAG 2.0/2.1/2.2 A or AA violations on the page as it is now. */
async function a11y(page, name) {
  const v = page.viewportSize();
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(formatViolations(violations, `${name} at ${v.width}x${v.height}`));
}

/**
 * WCAG 2.2 target size (2.5.8) for the spots on a body figure, which axe's
 * target-size rule does not measure (it skips SVG shapes): each spot is at
 * least 24 x 24 CSS px, or a 24 px circle on its centre meets no other spot
 * nor that spot's own circle.
 */
async function svgTargetsSized(page, selector, name) {
  const bad = await page.evaluate((sel) => {
    const boxes = [...document.querySelectorAll(sel)].map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.dataset.testid ?? e.getAttribute('aria-label'), r, cx: r.left + r.width / 2, cy: r.top + r.height / 2, small: r.width < 24 || r.height < 24 };
    });
    const toBox = (x, y, r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    const out = [];
    for (const a of boxes.filter((b) => b.small)) {
      for (const b of boxes) {
        if (a === b) continue;
        const tooClose = toBox(a.cx, a.cy, b.r) < 12 || (b.small && Math.hypot(a.cx - b.cx, a.cy - b.cy) < 24);
        if (tooClose) out.push(`${a.id} (${Math.round(a.r.width)}x${Math.round(a.r.height)} px) is too close to ${b.id}`);
      }
    }
    return out;
  }, selector);
  const v = page.viewportSize();
  expect(bad.length === 0, `${name} at ${v.width}x${v.height}: targets under 24 px without room around them (WCAG 2.5.8):\n  ${bad.join('\n  ')}`);
}

/** Axe at desktop size, then at phone size, then back (a screen that is not screenshotted). */
async function a11yBothSizes(page, name) {
  await a11y(page, name);
  await page.setViewportSize(SIZES.phone);
  await page.waitForTimeout(150);
  await a11y(page, name);
  await page.setViewportSize(SIZES.desktop);
}

/** Screenshots and axe at desktop size, then at phone size (which must not scroll sideways), then back. */
async function bothSizes(page, name) {
  await screens.shot(page, name);
  await a11y(page, name);
  await page.setViewportSize(SIZES.phone);
  await page.waitForTimeout(150);
  // From the top of the page, once laid out: where the last action left the
  // scroll (slower under load) decides which fields sit under the sticky
  // bars, which axe's target-size then counts as obscured.
  await page.evaluate(() => new Promise((done) => {
    window.scrollTo(0, 0);
    requestAnimationFrame(() => requestAnimationFrame(done));
  }));
  await fitsWidth(page, name);
  await screens.shot(page, name);
  await a11y(page, name);
  await page.setViewportSize(SIZES.desktop);
}

/** Waits until every exercise drawing under `scope` (a CSS selector) has loaded as a real image. */
async function figuresLoaded(page, scope, atLeast = 1) {
  await page.waitForFunction(
    ([sel, n]) => {
      const imgs = [...document.querySelectorAll(`${sel} [data-testid="exercise-figure"] img`)];
      return imgs.length >= n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    [scope, atLeast],
  );
}

/** Scrolls `locator`'s element to the top of the window, below the sticky header. */
async function atTop(locator) {
  await locator.evaluate((e) => {
    e.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -70);
  });
}

const isoToday = new Date().toISOString().slice(0, 10);
let exitCode = 0;
let practitioner, client, inviteLink, clientId;
try {
  await steps([
    ['set up the admin and a practitioner account (API)', async () => {
      const admin = await api(server.base, 'POST', '/api/v1/auth/setup', {
        token: server.setupToken, email: 'admin@example.org', name: 'Ada Admin', password: 'admin password 1',
      });
      await api(server.base, 'POST', '/api/v1/users', {
        email: 'pat@example.org', name: 'Pat Physio', password: 'practitioner 1', role: 'practitioner',
      }, admin.token);
    }],

    ['the practitioner logs in', async () => {
      practitioner = await watchedPage(browser, 'desktop', 'practitioner');
      const page = practitioner.page;
      page.setDefaultTimeout(TIMEOUT);
      await page.goto(server.base + '/');
      await page.getByTestId('login-form').waitFor();
      // From the start of navigation (the page's time origin) to the form.
      const firstScreenMs = Math.round(await page.evaluate(() => performance.now()));
      expect(firstScreenMs < 1000, `the first screen took ${firstScreenMs} ms (aim: under 1 s)`);
      console.log(`     first screen (login form) in ${firstScreenMs} ms`);
      await bothSizes(page, 'login');
      await page.getByTestId('login-email').fill('pat@example.org');
      await page.getByTestId('login-password').fill('practitioner 1');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('show-add-client').waitFor();
    }],

    ['adds a client and invites them', async () => {
      const page = practitioner.page;
      await page.getByTestId('show-add-client').click();
      await page.getByTestId('add-client-name').fill('Dana Example');
      await page.getByTestId('add-client-email').fill('dana@example.org');
      await page.getByTestId('add-client-submit').click();
      const row = page.getByTestId('client-row').filter({ hasText: 'Dana Example' });
      await row.waitFor();
      clientId = await row.getAttribute('data-client-id');
      await row.getByTestId('invite-button').click();
      const link = row.getByTestId('invite-link');
      await link.waitFor();
      inviteLink = await link.inputValue();
      expect(inviteLink.startsWith(server.base + '/invite#'), `invite link: ${inviteLink}`);
      await page.getByTestId('client-search').fill('dana');
      expect((await page.getByTestId('client-row').count()) === 1, 'search keeps the matching client');
      await bothSizes(page, 'invite');
    }],

    ['enters an assessment through the wizard with the desk-worker test set; the draft survives a reload', async () => {
      const page = practitioner.page;
      // Time to assess: every click and every field the exam itself needs is
      // counted (not the checks around it: reload, validation, keyboard).
      let clicks = 0, fields = 0;
      const click = async (l) => { clicks++; await l.click(); };
      const check = async (l) => { clicks++; await l.check(); };
      const fill = async (l, v) => { fields++; await l.fill(v); };
      const choose = async (l, v) => { fields++; await l.selectOption(v); };
      await page.getByTestId('client-link').first().click();
      await page.getByTestId('new-assessment').click();
      await page.getByTestId('wizard').waitFor();
      await fill(page.getByTestId('intake-age'), '44');
      await fill(page.getByLabel('Sitting hours per day'), '9');
      await check(page.getByTestId('activity-desk_work'));
      await fill(page.getByLabel('Days per week'), '3');
      await page.waitForTimeout(500); // the draft is saved on change
      await page.reload();
      await page.getByTestId('wizard').waitFor();
      expect((await page.getByTestId('intake-age').inputValue()) === '44', 'the age typed before the reload is kept');
      expect(await page.getByTestId('activity-desk_work').isChecked(), 'the activity ticked before the reload is kept');
      // Validation as you type, with the engine's message.
      await page.getByTestId('intake-age').fill('300');
      await page.getByText('expected an age in whole years 1-120, found 300').first().waitFor();
      await page.getByTestId('intake-age').fill('44');
      await click(page.getByTestId('wizard-next')); // pain & safety
      // The body figure works from the keyboard: Tab reaches a spot, Enter adds it, Space takes it off.
      const knee = page.getByTestId('pain-knee-left');
      await page.getByTestId('pain-neck-both').focus();
      for (let i = 0; i < 20 && !(await knee.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('Tab');
      expect(await knee.evaluate((e) => e === document.activeElement && e.matches(':focus-visible')), 'Tab reaches the left knee on the figure, with a visible focus');
      await page.keyboard.press('Enter');
      await page.getByTestId('pain-entry').filter({ hasText: 'Knee, left' }).waitFor();
      expect((await knee.getAttribute('aria-pressed')) === 'true', 'the left knee is pressed');
      await knee.focus();
      await page.keyboard.press(' ');
      await page.getByTestId('pain-entry').first().waitFor({ state: 'detached' });
      expect((await knee.getAttribute('aria-pressed')) === 'false', 'Space takes the left knee off again');
      // Screening items and the values they ask for come from the knowledge
      // base's vocabulary (GET /api/v1/vocabulary); not counted as the
      // assessment's clicks, and untouched again before going on.
      await page.getByLabel('Recent surgery').check();
      await page.getByLabel('Region operated on').waitFor();
      await a11yBothSizes(page, 'assessment-pain');
      await page.getByLabel('Recent surgery').uncheck();
      await page.getByLabel('Region operated on').waitFor({ state: 'detached' });
      await svgTargetsSized(page, '.pain-spot', 'the pain figure');
      await page.setViewportSize(SIZES.phone);
      await page.waitForTimeout(150);
      await svgTargetsSized(page, '.pain-spot', 'the pain figure');
      await page.setViewportSize(SIZES.desktop);
      await click(page.getByTestId('wizard-next')); // posture
      await check(page.getByTestId('posture-forward_head'));
      // Each measure with its unit, how to take it and the limit judged; a
      // measure naming a side asks for it.
      await page.getByLabel('Craniovertebral angle (°)').waitFor();
      await page.getByText('Angle at C7 between the horizontal and the line to the ear tragus').waitFor();
      await page.getByLabel('Higher shoulder').waitFor();
      await a11yBothSizes(page, 'assessment-posture');
      await click(page.getByTestId('wizard-next')); // range of motion
      // All tests until a set is picked; the desk-worker set shows only its own.
      const romCards = () => page.locator('[data-testid^="test-rom."]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice('test-rom.'.length)));
      expect((await romCards()).length > 10, 'without a test set every range-of-motion test shows');
      await choose(page.getByTestId('test-set'), 'desk_worker');
      const deskRom = ['hip_extension', 'cervical_rotation', 'straight_leg_raise', 'thomas_test', 'pectoralis_minor_length'];
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="test-rom."]').length === n, deskRom.length);
      const shownRom = await romCards();
      expect(shownRom.length === deskRom.length && deskRom.every((id) => shownRom.includes(id)), `only the desk-worker tests show in range of motion: ${shownRom.join(', ')}`);
      await choose(page.getByTestId('input-rom.thomas_test-left-result'), 'positive');
      await choose(page.getByTestId('input-rom.thomas_test-right-result'), 'positive');
      await fill(page.getByTestId('input-rom.straight_leg_raise-left-degrees'), '62');
      await fill(page.getByTestId('input-rom.straight_leg_raise-right-degrees'), '75');
      expect((await page.getByTestId('reference-rom.hip_extension').innerText()).includes('≥ 0°'), 'hip extension shows the limit it is judged with (0°), not the typical range');
      // "Show all tests" adds the others; a test with a value never hides.
      await page.getByTestId('show-all-rom').click();
      await page.getByTestId('test-rom.knee_flexion').waitFor();
      await page.getByTestId('show-all-rom').click();
      await page.getByTestId('test-rom.knee_flexion').waitFor({ state: 'detached' });
      await bothSizes(page, 'assessment-wizard');
      await click(page.getByTestId('wizard-next')); // strength
      // One unit for the section: every strength test records grades, "4+" included.
      await choose(page.getByTestId('unit-strength'), 'mmt');
      await fill(page.getByTestId('input-strength.hip_extension-left-value'), '4+');
      await fill(page.getByTestId('input-strength.hip_extension-right-value'), '5');
      const gradeLabels = await page.locator('[data-testid^="test-strength."] .test-side label').evaluateAll((ls) => ls.map((l) => l.textContent));
      expect(gradeLabels.length >= 6 && gradeLabels.every((t) => t.includes('grade')), `the section's unit applies to every strength test: ${gradeLabels.join(', ')}`);
      await click(page.getByTestId('wizard-next')); // endurance
      await fill(page.getByTestId('input-endurance.side_plank-left-seconds'), '20');
      await fill(page.getByTestId('input-endurance.side_plank-right-seconds'), '60');
      const shownSidePlank = JSON.parse(await page.getByTestId('reference-endurance.side_plank').getAttribute('data-values'));
      await click(page.getByTestId('wizard-next')); // movement
      await click(page.getByTestId('wizard-next')); // review
      const sent = JSON.parse(await page.locator('pre.json').textContent());
      expect(JSON.stringify(sent.strength) === JSON.stringify([
        { test: 'hip_extension', side: 'left', value: 4.5, unit: 'mmt' },
        { test: 'hip_extension', side: 'right', value: 5, unit: 'mmt' },
      ]), `the strength entries are sent as grades: ${JSON.stringify(sent.strength)}`);
      // The review is not cut off at 1280x800: its end clears the sticky Back / Submit bar.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const clear = await page.evaluate(() => {
        const body = document.querySelector('.wizard-body').getBoundingClientRect();
        const nav = document.querySelector('.wizard-nav').getBoundingClientRect();
        return body.bottom <= nav.top + 1 && nav.bottom <= window.innerHeight + 1;
      });
      expect(clear, 'the end of the review step is not covered by the action bar');
      const stepperFits = await page.evaluate(() => {
        const card = document.querySelector('[data-testid="wizard"]').getBoundingClientRect();
        return [...document.querySelectorAll('.step-btn')].every((b) => b.getBoundingClientRect().right <= card.right);
      });
      expect(stepperFits, 'every step of the stepper shows at 1280 px, the last one included');
      await bothSizes(page, 'assessment-review');
      await click(page.getByTestId('wizard-submit'));
      await page.getByTestId('findings').waitFor();
      console.log(`time-to-assess (desk-worker set): ${clicks} clicks, ${fields} fields`);
      // The reference shown is the one the engine judged with.
      const id = page.url().split('/').pop();
      const assessment = await page.evaluate(async (aid) => (await fetch(`/api/v1/assessments/${aid}`)).json(), id);
      const judged = [];
      const walk = (v) => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          if (v.test === 'side_plank' && typeof v.expected === 'string' && v.expected.startsWith('≥')) judged.push(Number(v.expected.match(/[\d.]+/)[0]));
          Object.values(v).forEach(walk);
        }
      };
      walk(assessment);
      expect(judged.length > 0 && judged.every((v) => v === shownSidePlank[0]), `the side bridge reference shown (${shownSidePlank}) is the one judged (${judged})`);
    }],

    ['sees the findings and the body map', async () => {
      const page = practitioner.page;
      await page.getByTestId('body-map').waitFor();
      const iliopsoas = page.locator('[data-testid="finding"][data-muscle="iliopsoas"]');
      expect((await iliopsoas.count()) >= 1, 'the positive Thomas tests give a tight iliopsoas finding');
      await page.getByTestId('asymmetries').waitFor();
      expect((await page.getByTestId('asymmetries').innerText()).includes('side_plank') ||
        (await page.getByTestId('asymmetries').innerText()).toLowerCase().includes('side'), 'the side-plank asymmetry is shown');
      // The summary comes first, with at most five findings, and every label is in words.
      const first = await page.evaluate(() => {
        const s = document.querySelector('[data-testid="findings-summary"]');
        const m = document.querySelector('[data-testid="body-map"]');
        return s && m ? s.getBoundingClientRect().top < m.getBoundingClientRect().top : false;
      });
      expect(first, 'the summary leads the findings');
      const top = await page.getByTestId('summary-finding').count();
      expect(top >= 1 && top <= 5, `the summary lists the findings that matter most (${top})`);
      const words = await page.getByTestId('findings').innerText();
      const raw = words.match(/\b[a-z]+_[a-z_]+\b/g);
      expect(!raw, `no raw ids on the findings page: ${raw?.slice(0, 5).join(', ')}`);
      expect((await page.locator('[data-testid="finding-evidence"][open]').count()) === 0, 'evidence is shown on demand');
      await bothSizes(page, 'findings');
    }],

    ['plans a program and changes a dose as a new version', async () => {
      const page = practitioner.page;
      await page.getByTestId('plan-from-findings').click();
      await page.getByTestId('generate-program-form').waitFor();
      // The empty fields show what the intake asked for (the server fills them from it).
      await page.waitForFunction(() => document.querySelector('[data-testid="gen-days"]')?.getAttribute('placeholder') === '3 days (from the intake)');
      await page.getByTestId('gen-start').fill(isoToday);
      await page.getByTestId('gen-minutes').fill('30');
      await page.getByTestId('generate-program').click();
      await page.getByTestId('program-view').waitFor();
      await figuresLoaded(page, '[data-testid="current-week"]', 3);
      await bothSizes(page, 'program');
      await page.getByTestId('edit-program').click();
      // Validate as you edit: 50 sets is refused where it is typed... (The
      // engine's answer to the invalid edits below is a 400: expected here.)
      const problemsBefore = practitioner.problems.length;
      await page.getByTestId('edit-op').selectOption('dose');
      await page.getByTestId('edit-dose-sets').fill('50');
      await page.getByText('Expected a whole number of sets from 1 to 10, found 50.').waitFor();
      expect(await page.getByTestId('edit-add-change').isDisabled(), 'a dose of 50 sets cannot be added');
      // ...and a dose change on an exercise just taken out is marked by the engine at once, before any preview.
      const target = await page.getByTestId('edit-exercise').inputValue();
      await page.getByTestId('edit-op').selectOption('remove');
      await page.getByTestId('edit-exercise').selectOption(target);
      await page.getByTestId('edit-add-change').click();
      await page.getByTestId('edit-op').selectOption('dose');
      await page.getByTestId('edit-exercise').selectOption(target);
      await page.getByTestId('edit-dose-sets').fill('2');
      await page.getByTestId('edit-add-change').click();
      const marked = page.locator('[data-testid="edit-item"][data-invalid="true"]');
      await marked.waitFor();
      const said = await marked.innerText();
      expect(/^Dose of/.test(said) && /an exercise of the program/i.test(said) && !/_/.test(said), `the dose on the removed exercise is marked: ${said}`);
      expect((await page.getByTestId('edit-item').count()) === 2 && (await marked.count()) === 1, 'only the dose change is marked');
      await page.getByTestId('edit-panel').scrollIntoViewIfNeeded();
      await bothSizes(page, 'program-editing');
      // Undo both; the plain dose change follows.
      await page.getByTestId('edit-item').first().getByRole('button', { name: /^Undo/ }).click();
      await page.getByTestId('edit-item').first().getByRole('button', { name: /^Undo/ }).click();
      const expected400 = practitioner.problems.splice(problemsBefore);
      const unexpected = expected400.filter(
        (p) => !/HTTP 400 for POST \S+\/revisions$/.test(p) && !/console error: Failed to load resource: the server responded with a status of 400/.test(p),
      );
      expect(unexpected.length === 0, unexpected.join('\n'));
      await page.getByTestId('edit-op').selectOption('dose');
      await page.getByTestId('edit-exercise').selectOption(target);
      await page.getByTestId('edit-dose-sets').fill('2');
      await page.getByTestId('edit-add-change').click();
      await page.getByTestId('edits-valid').waitFor();
      await page.getByTestId('preview-edits').click();
      await page.getByTestId('save-version').isEnabled();
      await page.waitForFunction(() => !document.querySelector('[data-testid="save-version"]')?.hasAttribute('disabled'));
      await page.getByTestId('save-version').click();
      await page.getByTestId('version-history').getByText(/version 2/i).first().waitFor();
      await bothSizes(page, 'program-edited');
      // The printable handout, in a tab of the practitioner's own (as the link opens it).
      const handoutUrl = new URL(await page.getByTestId('print-handout').getAttribute('href'), server.base).href;
      const handout = await practitioner.context.newPage();
      try {
        const res = await handout.goto(handoutUrl);
        expect(res?.ok(), `the handout loads (${res?.status()})`);
        const violations = await axeViolations(handout);
        if (violations.length) {
          const report = formatViolations(violations, 'handout');
          if (CHECK_HANDOUT_A11Y) throw new Error(report);
          console.log(`     not yet enforced (CHECK_HANDOUT_A11Y = false):\n${report.replace(/^/gm, '     ')}`);
        }
      } finally {
        await handout.close();
      }
      practitioner.check();
    }],

    ['the practitioner finds an exercise in the library: drawing, steps, dose and when to leave it out', async () => {
      const page = practitioner.page;
      await page.getByRole('link', { name: 'Exercises' }).click();
      await page.getByTestId('library-list').waitFor();
      const all = await page.getByTestId('library-item').count();
      expect(all >= 100, `the library lists every exercise (${all})`);
      await page.getByTestId('library-search').fill('glute bridge');
      await page.getByTestId('library-phase').selectOption('strengthen');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="library-item"]').length < n, all);
      const names = await page.getByTestId('library-item').allInnerTexts();
      expect(names.some((t) => t.includes('Glute bridge')), `the search finds the glute bridge (${names.join(' | ')})`);
      expect(names.every((t) => /bridge/i.test(t)), `every match is a bridge (${names.join(' | ')})`);
      await figuresLoaded(page, '[data-testid="library-list"]');
      await bothSizes(page, 'library');
      await page.getByTestId('library-item').filter({ hasText: /^Glute bridge/ }).first().click();
      await page.getByTestId('library-detail').waitFor();
      await figuresLoaded(page, '[data-testid="library-detail"]');
      const dose = await page.getByTestId('library-dose').innerText();
      expect(dose.includes('3 × 15'), `the article's dose is shown (${dose})`);
      await page.getByTestId('library-contraindications').waitFor();
      await bothSizes(page, 'library-exercise');
      // Back returns to the same search.
      await page.goBack();
      await page.getByTestId('library-list').waitFor();
      expect((await page.getByTestId('library-search').inputValue()) === 'glute bridge', 'the search survives Back');
      practitioner.check();
    }],

    ['the client accepts the invitation on a phone and runs today\'s session with the timer', async () => {
      client = await watchedPage(browser, 'phone', 'client');
      const page = client.page;
      page.setDefaultTimeout(TIMEOUT);
      await page.clock.install();
      await page.goto(inviteLink);
      await page.getByTestId('invite-email').fill('dana@example.org');
      await page.getByTestId('invite-password').fill('client password 1');
      await page.getByTestId('invite-confirm').fill('client password 1');
      await a11y(page, 'invite-accept');
      await page.getByTestId('invite-form').evaluate((f) => f.requestSubmit());
      await page.getByTestId('exercise').first().waitFor();
      await figuresLoaded(page, '[data-testid="exercise"]');
      // The practitioner changed a dose: the client sees the dose, not the practitioner's note about it.
      const card = await page.getByTestId('exercise').innerText();
      expect(!/by the practitioner/i.test(card), `no practitioner notes on the client's screen: ${card.slice(0, 200)}`);
      await fitsWidth(page, 'today');
      await screens.shot(page, 'today');
      await a11y(page, 'today');
      // Work through the session: holds with the timer, reps with the counter.
      let reloaded = false;
      for (let guard = 0; guard < 12; guard++) {
        if (await page.getByTestId('log-form').isVisible()) break;
        const hold = page.getByTestId('hold-timer');
        if (await hold.isVisible()) {
          // Nothing is counted before the timer runs, and Done waits for a count.
          const before0 = await page.getByTestId('hold-sets-done').innerText();
          expect(/^0 of \d+ sets done$/.test(before0), `no sets done before starting (${before0})`);
          expect(await page.getByTestId('item-done').isDisabled(), 'Done waits until a set is counted');
          await page.getByTestId('timer-start').click();
          const before = await page.getByTestId('timer-count').innerText();
          await page.clock.runFor(5000);
          const after = await page.getByTestId('timer-count').innerText();
          expect(before !== after, `the hold timer counts down (${before} then ${after})`);
          await screens.shot(page, 'today-timer');
          await a11y(page, 'today-timer');
          await page.clock.runFor(10 * 60 * 1000); // every hold, rest and side
          const counted = await page.getByTestId('hold-sets-done').innerText();
          if (!reloaded) {
            // A reload keeps the sets the timer counted (the draft), and nothing more.
            reloaded = true;
            await page.reload();
            await page.getByTestId('hold-timer').waitFor();
            const after = await page.getByTestId('hold-sets-done').innerText();
            expect(after === counted, `sets counted survive a reload (${counted} then ${after})`);
          }
          await page.getByTestId('item-done').click();
        } else {
          const set = page.getByTestId('set-done');
          for (let i = 0; i < 10 && (await set.isVisible()) && (await set.isEnabled()); i++) await set.click();
          await page.getByTestId('item-done').click();
        }
      }
      await page.getByTestId('log-form').waitFor();
      await page.getByTestId('log-effort').fill('5');
      // Pain is an answer: the log is not sent until it is given.
      await page.getByTestId('log-submit').click();
      await page.getByTestId('log-pain-missing').waitFor();
      expect(await page.getByTestId('log-form').isVisible(), 'the log stays open without a pain answer');
      await page.getByTestId('log-pain-1').check();
      await page.getByTestId('log-note').fill('left side harder');
      await screens.shot(page, 'today-log');
      await a11y(page, 'today-log');
      await page.getByTestId('log-submit').click();
      await page.getByTestId('logged').waitFor();
      client.check();
    }],

    ['the client sees history, streak, the week and the tips', async () => {
      const page = client.page;
      await page.goto(server.base + '/history');
      await page.getByTestId('log-list').waitFor();
      await page.getByText('Maintain good posture throughout the day.').first().waitFor();
      await screens.shot(page, 'history');
      await a11y(page, 'history');
      await page.setViewportSize(SIZES.desktop);
      await screens.shot(page, 'history');
      await a11y(page, 'history');
      client.check();
    }],

    ['offline, the client opens the app from the phone, logs a session there, and it reaches the server once back online', async () => {
      const page = client.page;
      const context = page.context();
      const logsOnServer = () =>
        page.evaluate(async () => {
          const get = async (path) => {
            const r = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
            if (!r.ok) throw new Error(`${path}: ${r.status}`);
            return r.json();
          };
          const session = await get('/api/v1/auth/session');
          const { programs } = await get(`/api/v1/clients/${session.user.client_id}/programs`);
          const { logs } = await get(`/api/v1/programs/${programs[programs.length - 1].id}/logs`);
          return logs.map((l) => ({ week: l.log.week, day: l.log.day, date: l.log.date, items: l.log.items.length }));
        });
      // The page's requests in flight, to wait for quiet before a reload (which would abort them).
      const inflight = new Set();
      const started = (r) => inflight.add(r);
      const ended = (r) => inflight.delete(r);
      page.on('request', started);
      page.on('requestfinished', ended);
      page.on('requestfailed', ended);
      const quiet = async () => {
        for (let calm = 0; calm < 3; calm = inflight.size ? 0 : calm + 1) await page.waitForTimeout(100);
      };
      await page.setViewportSize(SIZES.phone);
      // Online first: the service worker controls the page and keeps what History and Today read.
      await page.goto(server.base + '/history');
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
      await page.getByTestId('log-list').waitFor();
      await quiet();
      await page.reload();
      await page.getByTestId('log-list').waitFor();
      await page.getByRole('link', { name: 'Today', exact: true }).click();
      await page.getByTestId('session-picker').waitFor();
      const before = await logsOnServer();
      // Requests fail while offline, on purpose: those are set aside, anything else still fails the step.
      const mark = client.problems.length;
      await context.setOffline(true);
      try {
        await page.reload();
        // The app opens from the phone and shows the session.
        await page.getByTestId('session-picker').waitFor();
        // Log today's session again (already logged above), skipping straight to the log form.
        const todayKey = await page.getByTestId('session-picker').evaluate((s) => [...s.options].find((o) => /done/.test(o.textContent))?.value);
        expect(todayKey, 'the session picker offers the logged session');
        await page.getByTestId('session-picker').selectOption(todayKey);
        await page.getByRole('button', { name: 'Log the session' }).click();
        await page.getByTestId('log-form').waitFor();
        await page.getByTestId('log-pain-1').check();
        await page.getByTestId('log-note').fill('left side harder');
        await page.getByTestId('log-submit').click();
        await page.getByTestId('logged-offline').waitFor();
        const said = await page.getByTestId('logged-offline').innerText();
        expect(/saved on this phone/i.test(said) && /back online/i.test(said), `the client is told the log is kept: "${said}"`);
        const pending = await page.getByTestId('outbox-pending').innerText();
        expect(/1 session waiting to be sent/.test(pending), `Today shows what waits: "${pending}"`);
        await screens.shot(page, 'today-offline');
        await a11y(page, 'today-offline');
        // History opens offline too and says the same.
        await page.getByRole('link', { name: 'History', exact: true }).click();
        await page.getByTestId('outbox-pending').waitFor();
        await page.getByTestId('log-list').waitFor();
        await page.getByRole('link', { name: 'Today', exact: true }).click();
        await page.getByTestId('outbox-pending').waitFor();
      } finally {
        await context.setOffline(false);
      }
      const offline = client.problems.splice(mark);
      const expected = (p) => /net::ERR_(INTERNET_DISCONNECTED|FAILED)|Failed to fetch|FetchEvent/.test(p);
      client.problems.push(...offline.filter((p) => !expected(p)));
      // Back online: the queued log goes out by itself ('online' event), once.
      await page.getByTestId('outbox-pending').waitFor({ state: 'detached' });
      const after = await logsOnServer();
      expect(after.length === before.length + 1, `exactly one more log on the server (${before.length} then ${after.length})`);
      // By its content, not by today's date: the client's page runs on a fake
      // clock the timer steps moved on (past midnight, near the end of a day).
      expect(
        after.filter((l) => l.items === 0).length === before.filter((l) => l.items === 0).length + 1,
        `the offline log arrived once: ${JSON.stringify(after)}`,
      );
      // Starting the app again sends nothing more (once Today has read the logs again).
      await quiet();
      await page.reload();
      await page.getByTestId('session-picker').waitFor();
      await page.waitForTimeout(500);
      expect((await page.getByTestId('outbox-pending').count()) === 0, 'nothing waits after the send');
      expect((await logsOnServer()).length === after.length, 'the log is not sent twice');
      await page.setViewportSize(SIZES.desktop);
      page.off('request', started);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
      client.check();
    }],

    ['the practitioner sees the adherence', async () => {
      const page = practitioner.page;
      await page.goto(server.base + '/');
      const cell = page.getByTestId('client-row').filter({ hasText: 'Dana Example' }).getByTestId('client-adherence');
      await cell.waitFor();
      const text = await cell.innerText();
      expect(/100\s*%|1 of 1/.test(text), `the client list shows the logged session: "${text}"`);
      const said = await page.getByTestId('client-row').filter({ hasText: 'Dana Example' }).getByTestId('client-latest-note').innerText();
      expect(said.includes('left side harder'), `the client list shows the client's note: "${said}"`);
      await bothSizes(page, 'clients');
      await page.goto(`${server.base}/clients/${clientId}/program`);
      await page.getByTestId('adapt-preview').click();
      // Today's session is the only one logged and today is not past yet: nothing to adapt.
      await page.getByTestId('adapt-nothing').waitFor();
      await page.goto(`${server.base}/clients/${clientId}/progress`);
      await page.getByTestId('adherence-summary').waitFor();
      // What the client said and did, in full: the note and every exercise.
      const session = page.getByTestId('logged-session').first();
      await session.waitFor();
      const note = await session.getByTestId('logged-note').innerText();
      expect(note === 'left side harder', `the practitioner reads the client's note: "${note}"`);
      const rows = await session.locator('tbody tr').allInnerTexts();
      expect(rows.length >= 4 && rows.every((r) => /set|skipped/.test(r)), `each exercise with what was done: ${rows.join(' | ')}`);
      await bothSizes(page, 'progress');
      await page.getByTestId('logged-sessions').scrollIntoViewIfNeeded();
      await screens.shot(page, 'progress-sessions');
      practitioner.check();
    }],

    ['the practitioner reads when the re-assessment is due, then (after a second and a third assessment, by API) what changed', async () => {
      const page = practitioner.page;
      await page.goto(`${server.base}/clients/${clientId}/progress`);
      const due = page.getByTestId('reassessment-due');
      await due.waitFor();
      const dueText = await due.innerText();
      expect(/due|re-assess/i.test(dueText), `with one assessment, Progress says when the next is due: "${dueText}"`);
      expect((await page.getByTestId('progress-comparison').count()) === 0, 'no comparison with one assessment');
      await atTop(due);
      await screens.shot(page, 'progress-reassessment-due');
      const { token } = await api(server.base, 'POST', '/api/v1/auth/login', { email: 'pat@example.org', password: 'practitioner 1' });
      const intake = JSON.parse(readFileSync(new URL('../../examples/office-worker.json', import.meta.url), 'utf8'));
      await api(server.base, 'POST', `/api/v1/clients/${clientId}/assessments`, intake, token);
      await page.reload();
      const section = page.getByTestId('progress-comparison');
      await section.getByTestId('comparison-body').waitFor();
      const pair = await section.getByTestId('compare-pair').innerText();
      expect(/Assessment 2 .*compared with assessment 1/.test(pair), `the latest is compared with the one before: "${pair}"`);
      expect(/resolved/.test(await section.innerText()), 'the comparison summary is shown');
      expect((await page.getByTestId('reassessment-due').count()) === 0, 'the due notice gives way to the comparison');
      // Axe from the top of the page (scrolled, the sticky bar overlaps targets above the section).
      await a11yBothSizes(page, 'progress-comparison');
      await page.setViewportSize(SIZES.phone);
      await page.waitForTimeout(150);
      await fitsWidth(page, 'progress-comparison');
      await page.setViewportSize(SIZES.desktop);
      await atTop(section);
      await screens.shot(page, 'progress-comparison');
      // With a third, which to compare is a choice: the latest with the first.
      await api(server.base, 'POST', `/api/v1/clients/${clientId}/assessments`, intake, token);
      await page.reload();
      await section.getByTestId('comparison-body').waitFor();
      expect((await page.getByTestId('compare-after').inputValue()) === (await page.getByTestId('compare-after').locator('option').first().getAttribute('value')), 'the latest is chosen first');
      const first = await page.getByTestId('compare-before').locator('option').last().getAttribute('value');
      await page.getByTestId('compare-before').selectOption(first);
      await section.getByTestId('compare-pair').getByText(/^Assessment 3 .*compared with assessment 1 /).waitFor();
      await a11y(page, 'progress-comparison-choice');
      practitioner.check();
    }],

    ['the practitioner sees the client joined, issues a new-password link and revokes it', async () => {
      const page = practitioner.page;
      await page.goto(server.base + '/');
      const row = page.getByTestId('client-row').filter({ hasText: 'Dana Example' });
      expect((await row.getByTestId('client-joined').innerText()) === 'Joined', 'the list says the client joined');
      expect((await row.getByTestId('invite-button').innerText()) === 'New password link', 'a joined client is not invited again');
      await row.getByTestId('invite-button').click();
      await row.getByText(/has an account \(dana@example\.org\): this link sets a new password/).waitFor();
      const link = await row.getByTestId('invite-link').inputValue();
      expect(link.startsWith(server.base + '/reset#'), `a joined client gets a reset link: ${link}`);
      await page.goto(`${server.base}/clients/${clientId}/program`);
      await page.getByTestId('show-access').click();
      await page.getByTestId('access-account').getByText(/Joined as dana@example\.org/).waitFor();
      await page.getByTestId('access-links').getByText(/Password reset link/).waitFor();
      await bothSizes(page, 'access');
      await page.getByTestId('revoke-link').click();
      await page.getByTestId('access-panel').getByText('No open links.').waitFor();
      practitioner.check();
    }],

    ['the client writes to the practitioner, who sees it unread in the client list and answers; the client reads the answer', async () => {
      const cpage = client.page;
      await cpage.setViewportSize(SIZES.phone);
      await cpage.goto(server.base + '/messages');
      await cpage.getByTestId('message-thread').waitFor();
      await cpage.getByTestId('message-text').fill('Side plank on the left is very hard. Can I do it from the knees?');
      await cpage.getByTestId('message-send').click();
      await cpage.locator('[data-testid="message"][data-mine="true"]').getByText('Can I do it from the knees?').waitFor();

      const page = practitioner.page;
      await page.goto(server.base + '/');
      const unread = page.getByTestId('client-row').filter({ hasText: 'Dana Example' }).getByTestId('client-unread');
      expect((await unread.innerText()).includes('1 new message'), `the list shows the unread message: ${await unread.innerText()}`);
      await unread.click();
      await page.getByTestId('message-thread').waitFor();
      const theirs = page.locator('[data-testid="message"][data-mine="false"]');
      expect((await theirs.innerText()).includes('Side plank on the left is very hard'), 'the practitioner reads the message');
      await page.getByTestId('message-new').waitFor();
      await page.getByTestId('message-text').fill('Yes: from the knees this week, 3 x 20 s each side. Tell me how the left feels.');
      await page.getByTestId('message-send').click();
      await page.locator('[data-testid="message"][data-mine="true"]').getByText('from the knees this week').waitFor();
      await bothSizes(page, 'messages');
      await page.goto(server.base + '/');
      await page.getByTestId('client-row').filter({ hasText: 'Dana Example' }).waitFor();
      expect((await page.getByTestId('client-unread').count()) === 0, 'read messages are no longer counted');
      practitioner.check();

      await cpage.goto(server.base + '/');
      await cpage.getByTestId('nav-unread').waitFor();
      expect((await cpage.getByTestId('nav-unread').innerText()).startsWith('1'), 'the client\'s menu counts the answer');
      await cpage.getByRole('link', { name: /Messages/ }).click();
      await cpage.locator('[data-testid="message"][data-mine="false"]').getByText('from the knees this week').waitFor();
      await cpage.waitForFunction(() => !document.querySelector('[data-testid="nav-unread"]'));
      await screens.shot(cpage, 'messages-client');
      await a11y(cpage, 'messages-client');
      client.check();
    }],

    ['the admin lists the accounts and makes the client a new password link; the client sets a new password and logs in', async () => {
      const admin = await watchedPage(browser, 'desktop', 'admin');
      const page = admin.page;
      page.setDefaultTimeout(TIMEOUT);
      // Setup again, once it is done: the refusal in plain words, said once.
      await page.goto(server.base + '/setup');
      await page.getByTestId('setup-token').fill('not the token');
      await page.getByTestId('setup-name').fill('Someone');
      await page.getByTestId('setup-email').fill('someone@example.org');
      await page.getByTestId('setup-password').fill('a long enough password');
      await page.getByTestId('setup-submit').click();
      const refused = await page.getByTestId('setup-error').innerText();
      expect(refused.includes('setup was already done: log in instead'), `setup refused in plain words: "${refused}"`);
      expect((await page.locator('.field-error').count()) === 0, 'the refusal is not repeated next to a field');
      await a11y(page, 'setup-error');
      admin.problems.splice(0, admin.problems.length, ...admin.problems.filter((p) => !/HTTP 403 for POST .*\/auth\/setup|status of 403/.test(p)));
      await page.goto(server.base + '/');
      // The login page says how to get back in without email.
      await page.getByTestId('forgot-password').locator('summary').click();
      await page.getByTestId('forgot-password').getByText('ask your practitioner for a new password link').waitFor();
      await page.getByTestId('login-email').fill('admin@example.org');
      await page.getByTestId('login-password').fill('admin password 1');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('users-table').waitFor();
      expect((await page.getByTestId('user-row').count()) === 3, 'admin, practitioner and client are listed');
      const row = page.locator('[data-testid="user-row"][data-email="dana@example.org"]');
      await row.getByTestId('user-reset').click();
      const link = await row.getByTestId('user-reset-link').locator('input').inputValue();
      expect(link.startsWith(server.base + '/reset#'), `a reset link: ${link}`);
      await bothSizes(page, 'admin-accounts');
      admin.check();
      await admin.page.context().close();

      const cpage = client.page;
      await cpage.goto(link);
      // Too short: said next to the password, in plain words, and not again in a box.
      await cpage.getByTestId('reset-password').fill('short');
      await cpage.getByTestId('reset-confirm').fill('short');
      await cpage.getByTestId('reset-submit').click();
      const tooShort = cpage.locator('.field-error');
      await tooShort.waitFor();
      expect((await tooShort.innerText()).startsWith('Choose a password of at least 10 characters'), `a plain password rule: "${await tooShort.innerText()}"`);
      expect((await cpage.getByTestId('reset-error').count()) === 0, 'the password error is said once');
      client.problems.splice(0, client.problems.length, ...client.problems.filter((p) => !/HTTP 400 for POST .*\/auth\/reset|status of 400/.test(p)));
      await cpage.getByTestId('reset-password').fill('a new client password');
      await cpage.getByTestId('reset-confirm').fill('a new client password');
      await a11y(cpage, 'reset-password');
      await cpage.getByTestId('reset-submit').click();
      await cpage.getByTestId('reset-done').waitFor();
      await cpage.goto(server.base + '/');
      await cpage.getByTestId('login-email').fill('dana@example.org');
      await cpage.getByTestId('login-password').fill('a new client password');
      await cpage.getByTestId('login-submit').click();
      await cpage.getByTestId('exercise').first().waitFor();
      client.check();
    }],

    ['the practitioner saves the program as a template, starts a program from it, and finds an exercise to add with the picker', async () => {
      const page = practitioner.page;
      await page.goto(`${server.base}/clients/${clientId}/program`);
      await page.getByTestId('program-view').waitFor();
      await page.getByTestId('save-template').locator('summary').click();
      await page.getByTestId('template-name').fill('Desk worker, 3 days');
      await page.getByTestId('template-save').click();
      await page.getByTestId('template-saved').waitFor();
      // Start a new program from it.
      await page.locator('details.generate > summary').click();
      await page.getByTestId('gen-template').selectOption({ label: 'Template: Desk worker, 3 days' });
      await page.getByTestId('gen-start').fill(isoToday);
      await page.getByTestId('generate-program').click();
      await page.waitForURL(/\/program\/p_/);
      await page.getByTestId('program-view').waitFor();
      const id = page.url().split('/').pop();
      const same = await page.evaluate(async (pid) => {
        const t = (await (await fetch('/api/v1/templates?kind=program')).json()).templates.find((x) => x.name === 'Desk worker, 3 days');
        const p = await (await fetch(`/api/v1/programs/${pid}`)).json();
        return t.body.days.every((d) => {
          const want = d.exercises.map((e) => e.exercise).sort().join();
          const got = p.sessions.find((s) => s.week === 1 && s.day === d.day).items.map((i) => i.exercise).sort().join();
          return want === got;
        });
      }, id);
      expect(same, 'week 1 of the new program holds the template\'s exercises, session by session');
      // The picker narrows the exercises to add.
      await page.getByTestId('edit-program').click();
      await page.getByTestId('edit-op').selectOption('add');
      await page.getByTestId('picker-search').fill('bird dog');
      await page.getByTestId('picker-phase').selectOption('strengthen');
      const offered = await page.getByTestId('edit-add').locator('option').allInnerTexts();
      expect(offered.some((o) => /Bird dog/.test(o)) && offered.length <= 4, `the picker finds the bird dog: ${offered.join(' | ')}`);
      await bothSizes(page, 'program-picker');
      await page.getByTestId('edit-program').click();
      practitioner.check();
    }],

    ['the practitioner saves a test set of their own; it is on the server, listed after a reload, and a set this browser kept is moved there', async () => {
      const page = practitioner.page;
      // A set an older version kept in this browser only.
      await page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('rebalance.prefs.'));
        const prefs = key ? JSON.parse(localStorage.getItem(key)) : { sets: [] };
        prefs.sets = [{ id: 'own_old_knees', name: 'Old knees', tests: ['rom.knee_flexion', 'strength.knee_extension'] }];
        localStorage.setItem(key ?? 'rebalance.prefs.unknown', JSON.stringify(prefs));
      });
      await page.goto(`${server.base}/clients/${clientId}/assess`);
      await page.getByTestId('wizard').waitFor();
      await page.getByTestId('wizard-step-rom').click();
      const mine = (label) => page.getByTestId('test-set').locator('option', { hasText: label });
      await mine('Old knees (mine)').waitFor({ state: 'attached' });
      await page.getByTestId('save-set').click();
      await page.getByTestId('save-set-name').fill('Shoulders and hips');
      await a11y(page, 'assessment-save-set');
      await page.getByTestId('save-set-confirm').click();
      await page.getByText('Saved “Shoulders and hips”').waitFor();
      await page.reload();
      await page.getByTestId('wizard').waitFor();
      await page.getByTestId('wizard-step-rom').click();
      await mine('Shoulders and hips (mine)').waitFor({ state: 'attached' });
      const stored = await page.evaluate(async () => ({
        names: (await (await fetch('/api/v1/templates?kind=test_set')).json()).templates.map((t) => t.name).sort(),
        local: Object.keys(localStorage).filter((k) => k.startsWith('rebalance.prefs.')).flatMap((k) => JSON.parse(localStorage.getItem(k)).sets ?? []),
      }));
      expect(JSON.stringify(stored.names) === JSON.stringify(['Old knees', 'Shoulders and hips']), `the sets are the server's: ${stored.names.join(', ')}`);
      expect(stored.local.length === 0, `no set is left only in this browser: ${JSON.stringify(stored.local)}`);
      const picked = await page.getByTestId('test-set').inputValue();
      expect(/^t_/.test(picked), `the saved set is picked for the exam: ${picked}`);
      // Deleting it removes it from the server.
      await page.getByTestId('delete-set').click();
      await mine('Shoulders and hips (mine)').waitFor({ state: 'detached' });
      const left = await page.evaluate(async () => (await (await fetch('/api/v1/templates?kind=test_set')).json()).templates.map((t) => t.name));
      expect(JSON.stringify(left) === JSON.stringify(['Old knees']), `the deleted set is gone from the server: ${left.join(', ')}`);
      await page.getByTestId('wizard-discard').click();
      await page.getByTestId('wizard-discard-confirm').click();
      practitioner.check();
    }],

    ['a re-assessment on Christmas Day is offered the next working day, and the practitioner moves it', async () => {
      const login = await api(server.base, 'POST', '/api/v1/auth/login', { email: 'pat@example.org', password: 'practitioner 1' });
      // Three sessions a week from Mon 30 Nov 2026: week 4 ends on Fri 25 Dec.
      const p = await api(server.base, 'POST', `/api/v1/clients/${clientId}/programs`,
        { start_date: '2026-11-30', weeks: 8, days_per_week: 3, minutes_per_session: 30 }, login.token);
      const week4 = p.reassessments.find((r) => r.week === 4);
      expect(week4?.date === '2026-12-25', `week 4's re-assessment is on Christmas Day (${JSON.stringify(p.reassessments)})`);
      const page = practitioner.page;
      await page.goto(`${server.base}/clients/${clientId}/program/${p.id}`);
      const notice = page.getByTestId('holiday-reassessment');
      await notice.waitFor();
      expect((await notice.innerText()).includes('Christmas Day'), 'the holiday is named');
      await bothSizes(page, 'program-holiday');
      await notice.getByTestId('holiday-move').click();
      await page.waitForURL((u) => !u.pathname.endsWith(p.id));
      const moved = await page.evaluate(async (id) => (await (await fetch(`/api/v1/programs/${id}`)).json()).reassessments, page.url().split('/').pop());
      expect(moved.find((r) => r.week === 4)?.date === '2026-12-28', `moved to Mon 28 Dec: ${JSON.stringify(moved)}`);
      await page.getByTestId('holiday-reassessment').waitFor({ state: 'detached' }); // no notice once moved
      practitioner.check();
    }],
  ]);
  console.log(`e2e passed; screenshots: ${screens.taken.length} in ${args.artifacts}`);
} catch (e) {
  exitCode = 1;
  for (const w of [practitioner, client]) if (w?.problems.length) console.error(w.problems.join('\n'));
  if (practitioner) await practitioner.page.screenshot({ path: `${args.artifacts}/failure-practitioner.png` }).catch(() => {});
  if (client) await client.page.screenshot({ path: `${args.artifacts}/failure-client.png` }).catch(() => {});
  console.error('server log (last 2 KB):\n' + server.serverLog().slice(-2048));
} finally {
  await close();
  await server.stop();
}
process.exit(exitCode);

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/** Debian's Chromium (apt-get install -y chromium); playwright-core brings no browser of its own. */
const CHROMIUM = '/usr/bin/chromium';
/** Headless on this machine: no sandbox as root, and no background traffic to Google's hosts. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** GraphiQL 3's editors (CodeMirror 5), by where they sit on the page. */
const QUERY_EDITOR = '.graphiql-query-editor';
const HEADERS_EDITOR = 'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)';
const RESPONSE = '.graphiql-response';

describe('playground: GraphiQL in headless Chromium, served by the server alone', () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const refused: string[] = [];
  let sessionId: number;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: run apt-get update && apt-get install -y chromium (CI does the same).`);
    }
    database = await createTestDatabase('e2e_playground');
    const fixtures = new Fixtures(database.db);
    const dana = await fixtures.user('dana@example.com', 'Dana Playground');
    const delta = await fixtures.team(dana, 'Delta');
    sessionId = await fixtures.chatSession(await fixtures.project(delta, dana), dana);
    await fixtures.message(sessionId, 'USER', dana, 'before the subscription');
    server = await startTestServer(database.url);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Everything the page asks for must come from this server; anything else is aborted and noted.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(url);
      if (url.startsWith(`${server.url}/`)) {
        await route.continue();
      } else {
        refused.push(url);
        await route.abort();
      }
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('opens GraphiQL for a browser asking GET /graphql, with the headers editor open', async () => {
    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
    expect(await page.locator(HEADERS_EDITOR).isVisible()).toBe(true);
    expect(await editorValue(page, HEADERS_EDITOR)).toContain('"Authorization"');
  });

  it('runs a typed login mutation and shows its result', async () => {
    // Named operations: GraphiQL keeps the operation name of the editor's previous text.
    await typeInto(page, QUERY_EDITOR, `mutation Login { login(email: "dana@example.com", password: "${FIXTURE_PASSWORD}") { token user { fullName } } }`);
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
    await waitForResponseContaining(page, 'Dana Playground');
    const result = JSON.parse(await editorValue(page, RESPONSE));
    expect(result.data.login.token).toEqual(expect.any(String));
  });

  it('sends the Authorization header set in the headers editor, and shows the viewer', async () => {
    const { data } = JSON.parse(await editorValue(page, RESPONSE));
    await typeInto(page, HEADERS_EDITOR, `{"Authorization": "Bearer ${data.login.token}"}`);
    await typeInto(page, QUERY_EDITOR, 'query Viewer { viewer { fullName teams { name } } }');
    await page.keyboard.press('Control+Enter');
    await waitForResponseContaining(page, 'Delta');
    expect(JSON.parse(await editorValue(page, RESPONSE))).toMatchObject({
      data: { viewer: { fullName: 'Dana Playground', teams: [{ name: 'Delta' }] } },
    });
  });

  it('runs a subscription over WebSocket with the token of the headers editor, and shows its events', async () => {
    const token = await server.login('dana@example.com', FIXTURE_PASSWORD);
    const page1 = await server.graphql('query ($id: ID!) { chatSession(id: $id) { messages(first: 1) { edges { cursor } } } }', { id: sessionId }, token);
    const after = page1.data.chatSession.messages.edges[0].cursor;
    await typeInto(page, QUERY_EDITOR, `subscription Chat { messageAdded(sessionId: "${sessionId}", after: "${after}") { node { content } } }`);
    await page.keyboard.press('Control+Enter');
    // Posted after `after`: the subscription receives it whether it was already running or replays it.
    const posted = await server.graphql('mutation ($s: ID!) { postMessage(sessionId: $s, content: "pushed to the playground") { id } }', { s: sessionId }, token);
    expect(posted.errors).toBeUndefined();
    await waitForResponseContaining(page, 'pushed to the playground');
    expect(JSON.parse(await editorValue(page, RESPONSE))).toEqual({ data: { messageAdded: { node: { content: 'pushed to the playground' } } } });
  });

  it('shows the schema docs', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.waitForSelector('.graphiql-doc-explorer');
    await page.getByText('Root Types').waitFor();
    expect(await page.locator('.graphiql-doc-explorer').textContent()).toMatch(/query:\s*Query/);
    expect(await page.locator('.graphiql-doc-explorer').textContent()).toMatch(/mutation:\s*Mutation/);
  });

  it('loaded everything from this server: no other host was asked', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
    expect(refused).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([`${server.url}/playground/assets/graphiql.min.js`, `${server.url}/playground/assets/graphiql.min.css`]),
    );
  });
});

/** Replaces the text of the CodeMirror editor inside `container` by typing, as a user would. */
async function typeInto(page: Page, container: string, text: string): Promise<void> {
  await page.locator(`${container} .CodeMirror`).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  // GraphiQL closes brackets and quotes as one types; typing the closing ones steps over them.
  expect(await editorValue(page, container)).toBe(text);
  // GraphiQL reads the operation name from the editor after a debounce; running sooner sends the old one.
  await page.waitForTimeout(500);
}

/** Waits until GraphiQL's response pane shows `text`; fails saying what it shows instead. */
async function waitForResponseContaining(page: Page, text: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await editorValue(page, RESPONSE)).includes(text)) {
    if (Date.now() > deadline) {
      throw new Error(`The response pane never showed "${text}"; it shows: ${await editorValue(page, RESPONSE)}`);
    }
    await page.waitForTimeout(100);
  }
}

/** The text of the CodeMirror 5 editor inside `container`. */
async function editorValue(page: Page, container: string): Promise<string> {
  return page.$eval(`${container} .CodeMirror`, (element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

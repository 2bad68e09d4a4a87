// The Resilience Playground player for docs sites that prefer a script to an iframe. Importing
// this module defines the <resilience-player> element; mountPlayer() uses the same element.
//
//   <script type="module" src="https://your.host/playground/player.js"></script>
//   <resilience-player example="retry-storm" panels="timeline,summary" autoplay theme="dark" t="20"></resilience-player>
//   <resilience-player src="https://your.host/playground/#s=z1.…"></resilience-player>
//
//   import { mountPlayer } from 'https://your.host/playground/player.js';
//   const result = await mountPlayer(document.getElementById('demo'), scenarioObjectOrLink,
//     { panels: ['timeline', 'summary'], autoplay: true, theme: 'dark', t: 20 });
//   // result = { ok: true } or { ok: false, error: "…" } (the error is also shown in the element)
//
// Attributes (read when the element is connected): `example` (a gallery example's name), `src`
// (a share or embed link, a link payload, or the URL of a scenario JSON file), `panels`
// (comma-separated: timeline, charts, summary, stack, diagram, claims), `autoplay` (plays once on screen),
// `theme` (light or dark; default: the reader's preference), `t` (play-head start, seconds).
// The player lives in an open shadow root with the app's stylesheet: host page styles do not
// reach it and its styles do not reach the page. `element.ready` resolves to the result.
const base = new URL('.', import.meta.url);
let app;
let styles;

/** Loads the wasm once, without letting it mount the full playground on this page. */
function loadApp() {
  window.resiliencePlaygroundManual = true;
  window.resiliencePlaygroundBase = base.href; // the worker chunk is loaded from here too
  app ??= import(new URL('resilience-playground.js', base).href).then(async (module) => {
    await module.default({ module_or_path: new URL('resilience-playground_bg.wasm', base) });
    return module;
  });
  return app;
}

/** The app's stylesheet, fetched and parsed once and shared by every player's shadow root
 *  (or null when it cannot be read: each shadow root then links it). */
function loadStyles() {
  styles ??= fetch(new URL('style.css', base))
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null)
    .then((css) => {
      if (css === null || !('adoptedStyleSheets' in Document.prototype)) return css;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      return sheet;
    });
  return styles;
}

/** Puts the stylesheet into a shadow root, before the player's mount point. */
async function adoptStyles(root, sheet, mount) {
  if (sheet instanceof CSSStyleSheet) {
    root.adoptedStyleSheets = [sheet];
    root.replaceChildren(mount);
  } else if (typeof sheet === 'string') {
    const style = document.createElement('style');
    style.textContent = sheet;
    root.replaceChildren(style, mount);
  } else {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('style.css', base).href;
    const loaded = new Promise((resolve) => { link.onload = link.onerror = resolve; });
    root.replaceChildren(link, mount);
    await loaded; // the timeline takes its width from the styled player
  }
}

/** A scenario JSON file's URL is fetched here; links, payloads and names go to the wasm. */
async function resolveSource(source) {
  if (typeof source !== 'string' || !/\.json([?#]|$)/i.test(source.trim())) return source;
  const response = await fetch(new URL(source.trim(), document.baseURI));
  if (!response.ok) throw new Error(`${source} answered ${response.status}`);
  return response.json();
}

function optionsOf(element) {
  const panels = element.getAttribute('panels');
  const autoplay = element.getAttribute('autoplay');
  const t = Number.parseFloat(element.getAttribute('t') ?? '');
  return {
    ...(panels ? { panels: panels.split(',').map((p) => p.trim()) } : {}),
    autoplay: autoplay !== null && autoplay !== '0' && autoplay !== 'false',
    theme: element.getAttribute('theme') ?? '',
    t: Number.isFinite(t) ? t : 0,
  };
}

/** `<resilience-player>`: the compact player in a shadow root. */
export class ResiliencePlayer extends HTMLElement {
  #ready;

  /** Resolves to `{ ok: true }` or `{ ok: false, error }` once the player is shown. */
  get ready() {
    return this.#ready ?? Promise.resolve({ ok: false, error: 'not connected yet' });
  }

  connectedCallback() {
    if (this.#ready) return;
    const source = this.getAttribute('src') ?? this.getAttribute('example') ?? '';
    this.show(source, optionsOf(this));
  }

  /** Shows a scenario (an object, a link, a JSON file's URL or an example name) with options. */
  show(source, options = {}) {
    this.#ready = this.#mount(source, options);
    return this.#ready;
  }

  async #mount(source, options) {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    mount.className = 'player-root';
    try {
      const [module, sheet, scenario] = await Promise.all([loadApp(), loadStyles(), resolveSource(source)]);
      await adoptStyles(root, sheet, mount);
      return module.mount_player(mount, scenario, { playground: base.href, ...options });
    } catch (error) {
      mount.textContent = `The resilience player could not load: ${error}`;
      mount.setAttribute('role', 'alert');
      root.replaceChildren(mount);
      return { ok: false, error: String(error) };
    }
  }
}

if (!customElements.get('resilience-player')) customElements.define('resilience-player', ResiliencePlayer);

/** Mounts a `<resilience-player>` in `element`; a problem is also written into `element`. */
export async function mountPlayer(element, source, options = {}) {
  const player = document.createElement('resilience-player');
  const shown = player.show(source, options ?? {});
  element.replaceChildren(player);
  const result = await shown;
  if (!result?.ok) {
    const alert = player.shadowRoot?.querySelector('[role="alert"]');
    element.textContent = alert?.textContent || `The resilience player could not load: ${result?.error}`;
    element.setAttribute('role', 'alert');
  }
  return result;
}

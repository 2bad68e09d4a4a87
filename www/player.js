// The Resilience Playground player for docs sites that prefer a script to an iframe.
//
//   <div id="demo"></div>
//   <script type="module">
//     import { mountPlayer } from 'https://your.host/playground/player.js';
//     const result = await mountPlayer(document.getElementById('demo'), scenarioObjectOrLink,
//       { panels: ['timeline', 'summary'], autoplay: true, theme: 'dark', t: 20 });
//     // result = { ok: true } or { ok: false, error: "…" } (the error is also shown in the element)
//   </script>
//
// `scenarioObjectOrLink` is a scenario as a plain JS object, a share link, or an example name.
const base = new URL('.', import.meta.url);
let ready;

export async function mountPlayer(element, source, options = {}) {
  window.resiliencePlaygroundManual = true; // do not mount the full playground on this page
  try {
    ready ??= import(new URL('resilience-playground.js', base).href).then(async (module) => {
      await module.default({ module_or_path: new URL('resilience-playground_bg.wasm', base) });
      return module;
    });
    const module = await ready;
    return module.mount_player(element, source, options);
  } catch (error) {
    element.textContent = `The resilience player could not load: ${error}`;
    return { ok: false, error: String(error) };
  }
}

// ---- The later module (inserted by scripts/split/split-wasm.mjs) ----------------------------
// The release build splits the page's wasm in two. This file's module holds what the first
// paint ran; resilience-playground_later_bg.wasm holds the rest. Until the later module is
// installed, each of its functions is a placeholder import here, named by its slot in the
// function table. The later module is downloaded as soon as the page's module starts, and
// compiled and installed once the page is idle, so it does not hold up the first result; a call
// that comes sooner installs it at once (fetching it with a synchronous request if it has not
// arrived). Installing it writes its functions into the shared table, so every later call goes
// straight to them. Panels that are not part of the first result (the editors) wait for it:
// `window.rpLaterPending` is true until then, and the event `rp-later-installed` says it is in
// (src/dom_events.rs, use_later_part_ready).
const rpLaterUrl = new URL('resilience-playground_later_bg.wasm', import.meta.url);
let rpLaterBytes;
let rpLaterModule;
let rpLaterInstalled = false;
let rpFunctionTable;

/** The placeholder imports: slot N loads the later module, then calls the function in slot N. */
function rpPlaceholders() {
    return new Proxy({}, {
        get: (_, slot) => (...args) => {
            rpInstallLaterNow();
            return rpFunctionTable.get(Number(slot))(...args);
        },
    });
}

/**
 * Instantiates the later module against this module's exports; its table entries replace the
 * placeholders. The mark `rp-later-installed` says when, and how ("in the background" or
 * "on first use"), for tests and benchmarks.
 */
function rpInstall(module, how) {
    if (rpLaterInstalled) return;
    const table = WebAssembly.Module.imports(module).find((i) => i.kind === 'table');
    rpFunctionTable = wasm[table.name];
    new WebAssembly.Instance(module, { primary: wasm });
    rpLaterInstalled = true;
    performance.mark('rp-later-installed', { detail: how });
    rpAnnounceLater();
}

/** Tells the page the panels that wait for the later module may draw (after the current call). */
function rpAnnounceLater() {
    globalThis.rpLaterPending = false;
    queueMicrotask(() => globalThis.dispatchEvent?.(new Event('rp-later-installed')));
}

/** Resolves when the page is idle (a moment later where the browser cannot tell). */
function rpIdle() {
    return new Promise((done) => (typeof requestIdleCallback === 'function'
        ? requestIdleCallback(done, { timeout: 3000 })
        : setTimeout(done, 200)));
}

/** Downloads the later module at once; compiles and installs it when the page is idle. */
async function rpLoadLater() {
    globalThis.rpLaterPending = !rpLaterInstalled;
    try {
        const response = await fetch(rpLaterUrl);
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        rpLaterBytes = await response.arrayBuffer();
        await rpIdle();
        if (rpLaterInstalled) return;
        rpLaterModule = await WebAssembly.compile(rpLaterBytes);
        rpInstall(rpLaterModule, 'in the background');
    } catch (e) {
        console.warn(`Loading ${rpLaterUrl} in the background failed; it loads on first use.`, e);
        // The panels that wait for it draw now, and their first use loads it.
        rpAnnounceLater();
    }
}

/** Installs the later module before returning, compiling it here and fetching it first if need be. */
function rpInstallLaterNow() {
    if (rpLaterInstalled) return;
    rpLaterModule ??= new WebAssembly.Module(rpLaterBytes ?? rpFetchLaterNow());
    rpInstall(rpLaterModule, 'on first use');
}

/** The later module's bytes, by a synchronous request. */
function rpFetchLaterNow() {
    const request = new XMLHttpRequest();
    request.open('GET', rpLaterUrl, false);
    // A synchronous request cannot ask for an ArrayBuffer; each char code is one byte.
    request.overrideMimeType('text/plain; charset=x-user-defined');
    request.send();
    if (request.status !== 200) throw new Error(`could not load ${rpLaterUrl}: ${request.status}`);
    const text = request.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
}
// ---- end of the later module's loader -------------------------------------------------------

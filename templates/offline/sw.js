/* Lab'Impact service worker (labimpact/offline.py serves it at /sw.js, scope "/").
 *
 * Keeps the desk pages, guides and posters a reader opened, in the language they read them,
 * so they can be read again without a connection: network first, the saved copy when the
 * network fails, marked with the date it was saved (the response's Date header) for the page
 * to show (static/labimpact/js/sw-register.js). Static files (hashed names) are kept as they
 * are fetched. Nothing else is stored: no form, no back office, no API, no POST.
 */
"use strict";

const VERSION = "{{ version }}";
const PAGES = "labimpact-pages-v1";
const STATIC = "labimpact-static-" + VERSION;
const LANGUAGES = "{{ languages }}";
// The pages kept offline, under a language prefix: a desk, its poster, a guide, the list of
// guides, and the page that lists what is saved.
const KEPT = new RegExp(
  "^/(" + LANGUAGES + ")/(sportelli/[\\w-]+/|sportelli/[\\w-]+/manifesto/|guide/|guide/[\\w-]+/|offline/)$"
);
// Never stored, whatever KEPT says (belt and braces: a form under a kept prefix stays out).
const NEVER = /^\/(admin|api)\/|\/(mediazione|consulenza-legale|segnalazioni|valutazione|newsletter|accesso)\/|\/associazioni\/proponi\//;
const STATIC_PREFIX = "{{ static_prefix }}";

function keptPage(url) {
  return url.origin === self.location.origin && !url.search && KEPT.test(url.pathname) && !NEVER.test(url.pathname);
}

function staticFile(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(STATIC_PREFIX);
}

function offlinePage(url) {
  const match = url.pathname.match(new RegExp("^/(" + LANGUAGES + ")/"));
  return "/" + (match ? match[1] : "{{ default_language }}") + "/offline/";
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("labimpact-static-") && n !== STATIC).map((n) => caches.delete(n)))
      )
      .then(() => self.clients.claim())
  );
});

function storable(response) {
  const type = response.headers.get("Content-Type") || "";
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && type.startsWith("text/html") && !/no-store|private/.test(control);
}

async function savePage(request) {
  const response = await fetch(request, { cache: "no-cache" });
  if (storable(response)) {
    const cache = await caches.open(PAGES);
    await cache.put(request.url, response.clone());
  }
  return response;
}

// The saved copy, with the date it was saved on the <html> element for sw-register.js.
async function savedCopy(url) {
  // ignoreVary: pages vary on Accept-Language and Cookie, but the language is in the URL.
  const cached = await caches.match(url, { cacheName: PAGES, ignoreVary: true });
  if (!cached) return null;
  const saved = cached.headers.get("Date") || "";
  const html = (await cached.text()).replace("<html ", '<html data-offline-saved="' + saved.replace(/"/g, "") + '" ');
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function pageOrCopy(request) {
  try {
    return await savePage(request);
  } catch (error) {
    return (await savedCopy(request.url)) || (await savedCopy(offlinePage(new URL(request.url)))) || Response.error();
  }
}

async function otherPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    // Offline and never saved: the list of what is, when the reader has one.
    const list = await savedCopy(offlinePage(new URL(request.url)));
    if (list && request.mode === "navigate") return list;
    throw error;
  }
}

async function staticOrFetch(request) {
  const cached = await caches.match(request, { cacheName: STATIC, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(STATIC);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return;
  if (keptPage(url)) {
    event.respondWith(pageOrCopy(request));
  } else if (staticFile(url)) {
    event.respondWith(staticOrFetch(request));
  } else if (request.mode === "navigate") {
    event.respondWith(otherPage(request));
  }
});

// The first page a reader opens is fetched before the worker controls it: the page sends its
// own address and files here once the worker is active (sw-register.js), and the worker keeps
// them if they are of a kind it keeps.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(
    Promise.all(
      urls.map((href) => {
        const url = new URL(href, self.location.origin);
        if (keptPage(url)) return savePage(new Request(url.href)).catch(() => null);
        if (staticFile(url)) return staticOrFetch(new Request(url.href)).catch(() => null);
        return null;
      })
    ).then(() => event.source && event.source.postMessage({ kept: true }))
  );
});

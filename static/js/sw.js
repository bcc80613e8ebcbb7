/*
 * Offline reading: keeps the pages a reader has opened, so they open with no connection.
 *
 * Served at /sw.js by rls_iron/offline.py, which writes the first line, self.OFFLINE: the
 * version (code and content), the pages kept from the start (each language's overview and
 * questions, which carry the emergency numbers too) and the static files they use.
 *
 * Pages: network first, so a reader online always gets the current page (revalidated with
 * its ETag, so an unchanged page costs a 304), and the copy kept is replaced. With no
 * network the kept copy is served, with data-saved-at on <body> for site.js to say "You are
 * offline - this page was saved on ...". An FAQ answer opened in place (htmx) comes from
 * its kept page too. Static files: from the cache, else the network.
 * A new version (an edit in content/) installs a new worker, which fetches every kept page
 * again. Never kept: anything but GET, addresses with a query (searches, the feedback thank
 * you), feedback, the editor, the admin, the Infobutton, embedded pages and htmx fragments.
 */
"use strict";

var CONFIG = self.OFFLINE;
var PAGES = "rls-pages";
var STATIC = "rls-static-" + CONFIG.version;
var NEVER = /^\/(editor|admin|infobutton|embed|__reload__|sw\.js|sitemap|robots)|\/feedback\//;

function pageKey(url) {
  var address = new URL(url, self.location.origin);
  return address.origin + address.pathname;
}

function isKeepable(response) {
  return response.ok && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0 &&
    !/no-store|private/.test(response.headers.get("Cache-Control") || "");
}

// The copy kept remembers when it was saved; the body is read, so no encoding header is true.
function keep(url, response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set("X-Saved-At", new Date().toISOString());
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
    var copy = new Response(body, { status: 200, headers: headers });
    return caches.open(PAGES).then(function (cache) {
      return cache.put(pageKey(url), copy);
    });
  });
}

// Fetch a page afresh and keep it; a page that is gone is forgotten, a failure changes nothing.
function refresh(url) {
  return fetch(url, { cache: "no-cache", credentials: "same-origin" }).then(function (response) {
    if (isKeepable(response) && !response.redirected) {
      return keep(url, response);
    }
    if (response.status === 404 || response.status === 410) {
      return caches.open(PAGES).then(function (cache) { return cache.delete(pageKey(url)); });
    }
  }).catch(function () {});
}

function isOwnPage(url) {
  var address = new URL(url);
  return address.origin === self.location.origin && !address.search &&
    !NEVER.test(address.pathname) && address.pathname.indexOf(CONFIG.staticPrefix) !== 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC).then(function (cache) { return cache.addAll(CONFIG.static); }),
    // The page that asked for this worker was loaded without it: keep that one too.
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (open) {
      var urls = CONFIG.pages.map(pageKey);
      open.forEach(function (client) {
        if (isOwnPage(client.url) && urls.indexOf(pageKey(client.url)) < 0) {
          urls.push(pageKey(client.url));
        }
      });
      return Promise.all(urls.map(refresh));
    })
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  var fresh = CONFIG.pages.map(pageKey);
  event.waitUntil(Promise.all([
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("rls-static-") === 0 && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }),
    // A new version: the other pages kept are fetched again (the start pages just were).
    caches.open(PAGES).then(function (cache) { return cache.keys(); }).then(function (kept) {
      return Promise.all(kept.filter(function (request) {
        return fresh.indexOf(request.url) < 0;
      }).map(function (request) { return refresh(request.url); }));
    })
  ]).then(function () { return self.clients.claim(); }));
});

function savedCopy(url) {
  return caches.match(pageKey(url), { ignoreVary: true }).then(function (copy) {
    if (!copy) {
      return Response.error();
    }
    var saved = copy.headers.get("X-Saved-At") || "";
    return copy.text().then(function (html) {
      html = html.replace("<body", '<body data-saved-at="' + saved.replace(/[^0-9A-Z:.-]/g, "") + '"');
      return new Response(html, { status: 200, headers: copy.headers });
    });
  });
}

function page(event) {
  var url = event.request.url;
  return fetch(event.request, { cache: "no-cache" }).then(function (response) {
    if (isOwnPage(url) && isKeepable(response)) {
      event.waitUntil(keep(url, response.clone()));
    }
    return response;
  }, function () {
    // With no network a search (/faq/?q=...) opens the kept questions page, which says
    // that searching needs a connection.
    return savedCopy(url);
  });
}

function staticFile(request) {
  return caches.match(request).then(function (found) {
    return found || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var address = new URL(request.url);
  if (request.method !== "GET" || address.origin !== self.location.origin ||
      NEVER.test(address.pathname)) {
    return;
  }
  if (address.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (request.headers.get("HX-Request") && isOwnPage(request.url)) {
    // An FAQ answer opened in place: with no network, htmx picks it out of the kept page.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(pageKey(request.url), { ignoreVary: true }).then(function (copy) {
        return copy || Response.error();
      });
    }));
  }
});

// The page of saved copies (labimpact/offline.py): lists what the service worker kept on
// this device, in the page's language, with the date each copy was saved (its Date header).
(function () {
  "use strict";
  var list = document.getElementById("saved-pages");
  if (!list) return;
  var lang = document.documentElement.lang;
  var prefix = "/" + lang + "/";
  var format = new Intl.DateTimeFormat(lang || undefined, { dateStyle: "long", timeStyle: "short" });

  function empty() {
    var item = document.createElement("li");
    item.textContent = list.dataset.empty;
    list.appendChild(item);
  }

  if (!("caches" in window)) return empty();
  caches
    .open("labimpact-pages-v1")
    .then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(
          requests
            .filter(function (r) {
              var path = new URL(r.url).pathname;
              return path.indexOf(prefix) === 0 && path !== location.pathname;
            })
            .map(function (r) {
              return cache.match(r).then(function (response) {
                return response.text().then(function (html) {
                  var doc = new DOMParser().parseFromString(html, "text/html");
                  return { url: r.url, title: (doc.title || r.url).trim(), saved: new Date(response.headers.get("Date")) };
                });
              });
            })
        );
      });
    })
    .then(function (pages) {
      if (!pages.length) return empty();
      pages.sort(function (a, b) {
        return b.saved - a.saved;
      });
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = page.url;
        link.textContent = page.title;
        item.appendChild(link);
        if (!isNaN(page.saved)) {
          var time = document.createElement("time");
          time.dateTime = page.saved.toISOString();
          time.textContent = " — " + format.format(page.saved);
          item.appendChild(time);
        }
        list.appendChild(item);
      });
    })
    .catch(empty);
})();

// Runs in <head>, before Bootstrap Italia's bundle: a static file, not an inline script,
// so the Content-Security-Policy can forbid inline code.

// The bundle carries video.js, which otherwise injects an inline <style> on every page
// (blocked by style-src 'self': an error in the console). We have no video players.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

// The page has JavaScript: the menu may collapse behind its toggler (site.css, .no-js).
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");

// A printed page carries the day it was printed. The server writes the day it rendered
// the page (pages are cached for a short while); at print time we write today's date.
window.addEventListener("beforeprint", function () {
  var stamp = document.querySelector(".printed-on time");
  if (!stamp) return;
  var now = new Date();
  try {
    stamp.textContent = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "long" }).format(now);
  } catch (error) {
    return; // an unknown locale: keep the server's date
  }
  stamp.setAttribute("datetime", now.toISOString().slice(0, 10));
});

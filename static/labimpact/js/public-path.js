// Bootstrap Italia loads its web fonts from window.__PUBLIC_PATH__. Set it from a data
// attribute instead of an inline script so the Content-Security-Policy can forbid those.
window.__PUBLIC_PATH__ = document.currentScript.dataset.fonts;

/* The article page, made a little handier; without this script everything still works:
   - the citation style picker shows the chosen style in place (without it, the form
     reloads the page with ?style=);
   - "View full size" opens the figure over the page (without it, the image itself opens);
   - the contents mark the section being read, and start folded on narrow screens. */
(function () {
  "use strict";

  function citeStyles() {
    var form = document.querySelector("form.style-picker");
    if (!form) return;
    var select = form.querySelector("select");
    var box = document.querySelector(".formatted-citation");
    var plain = document.querySelector(".cite-exports a[href*='/cite?']");
    var url = form.getAttribute("data-cite-url");
    select.addEventListener("change", function () {
      var style = select.value;
      var query = "?style=" + encodeURIComponent(style);
      fetch(url + query + "&format=html", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          // the server's own fragment, its text escaped there
          box.innerHTML = html;
          if (plain) plain.setAttribute("href", url + query);
          history.replaceState(null, "", query + "#cite");
        })
        .catch(function () { form.submit(); });
    });
  }

  function figureViewer() {
    var layout = document.querySelector(".article-layout");
    var closeLabel = (layout && layout.getAttribute("data-close-label")) || "Close";
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.figure-full");
      if (!link || typeof HTMLDialogElement === "undefined") return;
      event.preventDefault();
      var figure = link.closest("figure");
      var shown = figure && figure.querySelector("img");
      var dialog = document.createElement("dialog");
      dialog.className = "figure-viewer";
      var bar = document.createElement("div");
      bar.className = "viewer-bar";
      var label = document.createElement("span");
      var caption = figure && figure.querySelector("figcaption .label");
      label.textContent = caption ? caption.textContent : "";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "secondary";
      close.textContent = closeLabel;
      close.addEventListener("click", function () { dialog.close(); });
      bar.appendChild(label);
      bar.appendChild(close);
      var image = document.createElement("img");
      image.src = link.getAttribute("href");
      image.alt = shown ? shown.alt : "";
      dialog.appendChild(bar);
      dialog.appendChild(image);
      dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
      dialog.addEventListener("close", function () { dialog.remove(); link.focus(); });
      document.body.appendChild(dialog);
      dialog.showModal();
      close.focus();
    });
  }

  function outline() {
    var nav = document.querySelector(".article-outline");
    if (!nav) return;
    var details = nav.querySelector("details");
    if (details && window.matchMedia("(max-width: 64rem)").matches) details.open = false;
    if (!("IntersectionObserver" in window)) return;
    var links = {};
    nav.querySelectorAll("a[href^='#']").forEach(function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var link = links[entry.target.id];
        if (!link) return;
        if (current) current.removeAttribute("aria-current");
        link.setAttribute("aria-current", "true");
        current = link;
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(links).forEach(function (id) {
      var section = document.getElementById(id);
      if (section) observer.observe(section);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    citeStyles();
    figureViewer();
    outline();
  });
})();

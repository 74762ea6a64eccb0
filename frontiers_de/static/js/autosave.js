/* Draft forms marked data-autosave save themselves a few seconds after the author stops
   typing, and when the page is hidden. The page works without this script: the Save
   button posts the same form. A save that the server refuses (another tab changed the
   draft, a field is not accepted) stops autosaving and says so; the author's text stays
   in the form and the Save button shows the full message. */
(function () {
  "use strict";
  var DELAY_MS = 3000;
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector(".autosave-status");
    var version = form.querySelector("input[name=version]");
    var timer = null;
    var dirty = false;
    var stopped = false;
    var busy = false;

    function say(text) { if (status) { status.textContent = text; } }

    function save() {
      timer = null;
      if (!dirty || stopped || busy) { return; }
      busy = true;
      dirty = false;
      var body = new FormData(form);
      body.set("next", "details");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return [response, data]; });
      }).then(function (pair) {
        var response = pair[0], data = pair[1];
        if (response.ok) {
          version.value = data.version;
          say(data.message);
        } else {
          stopped = true;
          say(data.message);
        }
      }).catch(function () {
        dirty = true;
        say(form.getAttribute("data-autosave-offline") || "");
      }).then(function () { busy = false; });
    }

    form.addEventListener("input", function () {
      dirty = true;
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, DELAY_MS);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(); }
    });
  });
})();

/* Draft forms marked data-autosave save themselves a few seconds after the author stops
   typing, and when the page is hidden. The page works without this script: the Save
   button posts the same form. A save that the server refuses (another tab changed the
   draft, or saved it at the same moment: 409; a field is not accepted: 400) stops
   autosaving and shows the server's message; the author's text stays in the form and the
   Save button shows the full message. An answer that is not the app's JSON (a proxy's
   error page) is reported as not saved, and the next change tries again. */
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
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Not the app's answer (a proxy's error page, a server that failed): nothing
          // was saved. Say so, and try again with the next change.
          dirty = true;
          say(form.getAttribute("data-autosave-failed") || "");
          return;
        }
        return response.json().then(function (data) {
          if (response.ok) {
            version.value = data.version;
            say(data.message);
          } else {
            // 409: another tab or person saved this draft first (or at the same moment);
            // 400: a field is refused. The message says which, and what to do.
            stopped = true;
            say(data.message);
          }
        });
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

/* A refused form: move the focus to its error summary, so a keyboard or screen reader
   user starts at the list of what to fix; each entry links to its field. Without this
   script the summary is still first on the form and announced (role="alert"). */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();

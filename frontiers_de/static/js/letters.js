// The decision form's letter follows the decision chosen until the editor edits it: each
// radio button carries its kind's pre-filled subject and letter (data-subject, data-body).
// Without this script the server swaps an untouched letter of another kind for the right
// one (editorial.services.letter_for_kind).
(function () {
  "use strict";
  document.querySelectorAll("form").forEach(function (form) {
    var subject = form.querySelector("input[name=subject]");
    var body = form.querySelector("textarea[name=message]");
    var radios = form.querySelectorAll("input[type=radio][name=decision][data-body]");
    if (!subject || !body || !radios.length) {
      return;
    }
    var shown = { subject: subject.value, body: body.value };
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (body.value !== shown.body || subject.value !== shown.subject) {
          return; // edited: the editor's text stays
        }
        shown = { subject: radio.dataset.subject, body: radio.dataset.body };
        subject.value = shown.subject;
        body.value = shown.body;
      });
    });
  });
})();

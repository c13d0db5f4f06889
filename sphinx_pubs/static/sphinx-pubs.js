/* sphinx-pubs: the "N more authors" control shows the whole author list in place.
   Without this script the control is a link whose target CSS reveals; with it the
   control is a toggle button with aria-expanded, operable with Enter and Space. */
(function () {
  "use strict";

  function setExpanded(entry, expanded) {
    entry.classList.toggle("pub-authors-expanded", expanded);
    entry.querySelectorAll(".pub-more-authors, .pub-fewer-authors").forEach(function (c) {
      c.setAttribute("aria-expanded", expanded ? "true" : "false");
    });
    var focus = entry.querySelector(expanded ? ".pub-fewer-authors" : ".pub-more-authors");
    if (focus) {
      focus.focus();
    }
  }

  function activate(event) {
    var control = event.target.closest(".pub-more-authors, .pub-fewer-authors");
    if (!control) {
      return;
    }
    var entry = control.closest("li.pub");
    if (!entry) {
      return;
    }
    event.preventDefault();
    setExpanded(entry, control.classList.contains("pub-more-authors"));
  }

  function init() {
    document.addEventListener("click", activate);
    document.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Spacebar") {
        activate(event);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

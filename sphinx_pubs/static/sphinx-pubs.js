/* sphinx-pubs: the "N more authors" control shows the whole author list in place.
   Without this script the control is a link whose target CSS reveals; with it the
   control is a toggle button with aria-expanded, operable with Enter and Space.
   The class "pubs-js" on <html> tells the stylesheet to stop using :target, and a
   list's #fragment in the address (opened or followed) expands that entry. */
(function () {
  "use strict";

  document.documentElement.classList.add("pubs-js");

  function setExpanded(entry, expanded, moveFocus) {
    entry.classList.toggle("pub-authors-expanded", expanded);
    entry.querySelectorAll(".pub-more-authors, .pub-fewer-authors").forEach(function (c) {
      c.setAttribute("aria-expanded", expanded ? "true" : "false");
    });
    var focus = entry.querySelector(expanded ? ".pub-fewer-authors" : ".pub-more-authors");
    if (focus && moveFocus) {
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
    setExpanded(entry, control.classList.contains("pub-more-authors"), true);
  }

  function expandTarget() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      return;
    }
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("pub-authors-all")) {
      var entry = target.closest("li.pub");
      if (entry) {
        setExpanded(entry, true, false);
      }
    }
  }

  // BibTeX: the copy button is hidden without this script (the text is selectable).
  function copyBibtex(event) {
    var button = event.target.closest(".pub-copy");
    if (!button) {
      return;
    }
    var text = button.parentNode.querySelector(".pub-bibtex-text");
    if (!text || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(text.textContent).then(function () {
      var label = button.dataset.label || (button.dataset.label = button.textContent);
      button.textContent = "\u2713 " + label;
      window.setTimeout(function () {
        button.textContent = label;
      }, 1500);
    });
  }

  function init() {
    document.querySelectorAll(".pubs .pub-copy").forEach(function (button) {
      if (navigator.clipboard) {
        button.hidden = false;
      }
    });
    document.addEventListener("click", copyBibtex);
    document.addEventListener("click", activate);
    document.addEventListener("keydown", function (event) {
      if (event.key !== " " && event.key !== "Spacebar") {
        return;
      }
      if (!event.repeat) {
        activate(event);
      } else if (event.target.closest(".pub-more-authors, .pub-fewer-authors")) {
        event.preventDefault(); // a held key neither scrolls nor flips back and forth
      }
    });
    window.addEventListener("hashchange", expandTarget);
    expandTarget();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* sphinx-pubs: a search box above each list marked data-pubs-search.
   Typing filters the entries by title, badge, authors, venue, note, abstract, year
   and keywords, ignoring case and accents; year groups left empty hide; a count
   says "12 of 79". Optional facet buttons filter by year and type. The query is
   kept in the address (?search=..&year=..&type=..; search2, year2 ... for a page's
   second list), so a filtered view can be shared and reloaded, and Back undoes a
   search. Not "q": Sphinx's searchtools.js, which some themes load on every page,
   takes a "q" in any page's address for its own search. Without this script there
   is no box and the whole list is shown. No network, no framework. */
(function () {
  "use strict";

  var PARTS = ".pub-title, .pub-authors-all, .pub-authors, .pub-annotation, .pub-venue, " +
    ".pub-note, .pub-abbr, .pub-abstract .pub-toggle-body";
  // the author controls' own words ("2 more authors", "show fewer") are not the entry's
  var CONTROLS = ".pub-more-authors, .pub-fewer-authors";
  var QUERY = "search"; // the address parameter of the text
  var PAUSE = 1000; // a pause in typing after which the next change is a new history entry

  // letters that lose no accent in NFD but are typed without one
  var LETTERS = {
    "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u00f8": "o", "\u0142": "l",
    "\u0111": "d", "\u00f0": "d", "\u00fe": "th", "\u0127": "h", "\u0131": "i"
  };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u00df\u00e6\u0153\u00f8\u0142\u0111\u00f0\u00fe\u0127\u0131]/g, function (c) {
        return LETTERS[c];
      });
  }

  function textOf(part) {
    if (!part.querySelector(CONTROLS)) {
      return part.textContent;
    }
    var copy = part.cloneNode(true);
    copy.querySelectorAll(CONTROLS).forEach(function (control) {
      control.parentNode.removeChild(control);
    });
    return copy.textContent;
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function typeOf(li) {
    var match = /(?:^|\s)pub-type-(\S+)/.exec(li.className);
    return match ? match[1] : "";
  }

  function PubsSearch(list, number) {
    this.list = list;
    this.config = JSON.parse(list.getAttribute("data-pubs-search") || "{}");
    this.labels = this.config.labels || {};
    this.suffix = number > 1 ? String(number) : "";
    this.entries = Array.prototype.map.call(list.querySelectorAll("li.pub"), function (li) {
      return { li: li, text: null, year: li.getAttribute("data-year") || "", type: typeOf(li) };
    });
    this.groups = Array.prototype.slice.call(list.querySelectorAll(".pubs-group"));
    // the pressed values of each facet: Sets and Maps, never plain objects, whose
    // inherited members ("constructor", "__proto__" ...) a value could be named like
    this.facets = new Map([["year", new Set()], ["type", new Set()]]);
    this.lastChange = 0;
    this.build();
  }

  PubsSearch.prototype.build = function () {
    var self = this;
    var labels = this.labels;
    var box = el("div", { "class": "pubs-search", role: "search" });
    this.input = el("input", {
      type: "search",
      "class": "pubs-search-input",
      "aria-label": labels.search || "Search",
      placeholder: labels.placeholder || "",
      autocomplete: "off",
      spellcheck: "false"
    });
    this.count = el("output", { "class": "pubs-search-count", "aria-live": "polite" });
    box.appendChild(this.input);
    box.appendChild(this.count);
    (this.config.facets || []).forEach(function (facet) {
      if (self.facets.has(facet)) {
        box.appendChild(self.facetButtons(facet));
      }
    });
    this.none = el("p", { "class": "pubs-search-none", hidden: "" }, labels.none || "");
    box.appendChild(this.none);
    var downloads = this.list.querySelector(":scope > .pubs-downloads");
    this.list.insertBefore(box, downloads ? downloads.nextSibling : this.list.firstChild);

    this.input.addEventListener("input", function () {
      self.apply(true);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && self.input.value) {
        self.input.value = "";
        self.apply(true);
      }
    });
    box.addEventListener("click", function (event) {
      var button = event.target.closest(".pubs-facet");
      if (!button) {
        return;
      }
      var pressed = button.getAttribute("aria-pressed") !== "true";
      var values = self.facets.get(button.dataset.facet);
      if (!values) {
        return;
      }
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      if (pressed) {
        values.add(button.dataset.value);
      } else {
        values.delete(button.dataset.value);
      }
      // a click is a step of its own in the history, and so is the typing after it
      self.lastChange = 0;
      self.apply(true);
      self.lastChange = 0;
    });
  };

  PubsSearch.prototype.facetButtons = function (facet) {
    var labels = this.labels;
    var types = new Map(Object.entries(this.config.types || {}));
    var seen = new Set();
    var values = [];
    this.entries.forEach(function (entry) {
      var value = facet === "year" ? entry.year : entry.type;
      if (!seen.has(value)) {
        seen.add(value);
        values.push(value);
      }
    });
    if (facet === "year") {
      values.sort(function (a, b) {
        return (b || "0").localeCompare(a || "0", undefined, { numeric: true });
      });
    }
    var group = el("div", {
      "class": "pubs-facets pubs-facets-" + facet,
      role: "group",
      "aria-label": labels[facet] || facet
    });
    values.forEach(function (value) {
      var text = facet === "type" ? types.get(value) || value : value || labels.undated || "—";
      group.appendChild(el("button", {
        type: "button",
        "class": "pubs-facet",
        "aria-pressed": "false",
        "data-facet": facet,
        "data-value": value
      }, text));
    });
    return group;
  };

  PubsSearch.prototype.textOf = function (entry) {
    if (entry.text === null) {
      var parts = [entry.year, entry.li.getAttribute("data-keywords") || ""];
      entry.li.querySelectorAll(PARTS).forEach(function (part) {
        parts.push(textOf(part));
      });
      entry.text = fold(parts.join(" ").replace(/\s+/g, " "));
    }
    return entry.text;
  };

  PubsSearch.prototype.index = function () {
    for (var i = 0; i < this.entries.length; i++) {
      this.textOf(this.entries[i]);
    }
  };

  function chosen(values) {
    return Array.from(values || []);
  }

  PubsSearch.prototype.apply = function (fromUser) {
    var self = this;
    var terms = fold(this.input.value).split(/\s+/).filter(Boolean);
    var years = this.facets.get("year");
    var types = this.facets.get("type");
    var shown = 0;
    var visibleGroups = new Set();
    this.entries.forEach(function (entry) {
      var text = terms.length ? self.textOf(entry) : "";
      var match = terms.every(function (term) {
        return text.indexOf(term) !== -1;
      }) && (!years.size || years.has(entry.year)) &&
        (!types.size || types.has(entry.type));
      if (entry.li.hidden === match) {
        entry.li.hidden = !match;
      }
      if (match) {
        shown += 1;
        var group = entry.li.closest(".pubs-group");
        if (group) {
          visibleGroups.add(group);
        }
      }
    });
    this.groups.forEach(function (group) {
      var hide = !visibleGroups.has(group);
      if (group.hidden !== hide) {
        group.hidden = hide;
      }
    });
    var filtering = terms.length || years.size || types.size;
    this.count.textContent = filtering ? (this.labels.count || "{shown} of {total}")
      .replace("{shown}", shown).replace("{total}", this.entries.length) : "";
    this.none.hidden = shown !== 0;
    if (fromUser) {
      this.remember();
    }
  };

  PubsSearch.prototype.param = function (name) {
    return name + this.suffix;
  };

  PubsSearch.prototype.remember = function () {
    var url = new URL(window.location.href);
    var params = url.searchParams;
    var query = this.input.value.trim();
    var self = this;
    if (query) {
      params.set(this.param(QUERY), query);
    } else {
      params.delete(this.param(QUERY));
    }
    ["year", "type"].forEach(function (facet) {
      var values = chosen(self.facets.get(facet));
      if (values.length) {
        params.set(self.param(facet), values.join(","));
      } else {
        params.delete(self.param(facet));
      }
    });
    if (url.href === window.location.href) {
      return;
    }
    var now = Date.now();
    var state = { pubsSearch: true };
    if (now - this.lastChange > PAUSE) {
      window.history.pushState(state, "", url.href);
    } else {
      window.history.replaceState(state, "", url.href);
    }
    this.lastChange = now;
  };

  PubsSearch.prototype.restore = function () {
    var params = new URL(window.location.href).searchParams;
    var self = this;
    // after Back or Forward, the next change is a new step: replacing the step
    // the reader went back to would lose it
    this.lastChange = 0;
    this.input.value = params.get(this.param(QUERY)) || "";
    ["year", "type"].forEach(function (facet) {
      var values = (params.get(self.param(facet)) || "").split(",").filter(function (v) {
        return v !== "" || facet === "year";
      });
      var wanted = new Set(params.has(self.param(facet)) ? values : []);
      self.facets.set(facet, wanted);
      self.list.querySelectorAll(".pubs-facet[data-facet='" + facet + "']").forEach(function (b) {
        b.setAttribute("aria-pressed", wanted.has(b.dataset.value) ? "true" : "false");
      });
    });
    this.apply(false);
  };

  function init() {
    var searches = [];
    document.querySelectorAll(".pubs[data-pubs-search]").forEach(function (list, index) {
      var search = new PubsSearch(list, index + 1);
      search.restore();
      searches.push(search);
    });
    if (!searches.length) {
      return;
    }
    window.addEventListener("popstate", function () {
      searches.forEach(function (search) {
        search.restore();
      });
    });
    // read the entries' text while the reader looks at the page, so that the
    // first keystroke is as quick as the others
    var idle = window.requestIdleCallback || function (callback) {
      return window.setTimeout(callback, 200);
    };
    idle(function () {
      searches.forEach(function (search) {
        search.index();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

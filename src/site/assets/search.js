// trainyard's search page: looks `?q=` (or what is typed) up in the index
// built with the site (search/index.js, loaded before this script) and lists
// the matching trains, questions and people. Works from file:// and served;
// loads nothing from elsewhere. Results are written as text, never as HTML.
(function () {
  "use strict";
  var data = window.TRAINYARD_SEARCH;
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!data || !window.elasticlunr || !input || !list || !status) {
    return;
  }
  var index = window.elasticlunr.Index.load(data.index);

  function show(query) {
    list.textContent = "";
    var q = query.trim();
    if (!q) {
      status.textContent = "Type a date, project, tag, bug number, person or word.";
      return;
    }
    var hits = index.search(q, {
      fields: { title: { boost: 2 }, body: { boost: 1 } },
      bool: "OR",
      expand: true
    });
    status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d";
    hits.slice(0, 50).forEach(function (hit) {
      var doc = data.docs[hit.ref];
      if (!doc) {
        return;
      }
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "../" + doc.href;
      link.textContent = doc.title;
      item.appendChild(link);
      if (doc.summary) {
        var summary = document.createElement("p");
        summary.textContent = doc.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  input.addEventListener("input", function () {
    show(input.value);
  });
})();

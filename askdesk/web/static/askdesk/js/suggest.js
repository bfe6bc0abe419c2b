// Help while the reader types: <form data-suggest-url="URL"> with a <textarea name="question">
// and an empty [data-suggestions] box. After a few words and a short pause, only the question
// (never the name or contact fields) is posted; the answer lists the story passage and the
// published answers that may already answer it, and the questions readers asked that wait for
// an answer, each with its "I want to know too" page. The box's data-label-* attributes hold
// the headings in the page's language. The reader can always send the question, and the form
// works the same without this script.
(function () {
  "use strict";
  var MIN_WORDS = 4;
  var PAUSE_MS = 600;

  function words(text) {
    return text.split(/\s+/).filter(Boolean).length;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function link(item, label, newTab) {
    var a = element("a", "", label || item.text);
    a.href = item.url;
    if (newTab) {
      // The reader's draft stays in this tab.
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  function label(box, name, fallback) {
    return box.getAttribute("data-label-" + name) || fallback;
  }

  function render(box, data) {
    box.replaceChildren();
    if (data.story.length) {
      var story = element("section", "suggestion-story");
      story.appendChild(element("h3", "", label(box, "story", "The story may already answer this")));
      data.story.forEach(function (item) {
        story.appendChild(element("blockquote", "from-story", item.text));
        var more = element("p");
        more.appendChild(link(item, label(box, "read-story", "Read it in the story"), false));
        story.appendChild(more);
      });
      box.appendChild(story);
    }
    if (data.similar.length) {
      var similar = element("section", "suggestion-similar");
      similar.appendChild(element("h3", "", label(box, "similar", "Readers asked something similar")));
      var list = element("ul");
      data.similar.forEach(function (item) {
        var row = element("li");
        row.appendChild(link(item, "", true));
        list.appendChild(row);
      });
      similar.appendChild(list);
      box.appendChild(similar);
    }
    var waiting = data.waiting || [];
    if (waiting.length) {
      var joinable = element("section", "suggestion-waiting");
      joinable.appendChild(
        element("h3", "", label(box, "waiting", "Readers asked something similar and are waiting for an answer"))
      );
      var rows = element("ul");
      waiting.forEach(function (item, position) {
        var row = element("li");
        var wording = element("p", "qa-question", item.text);
        wording.dir = "auto"; // a reader's words, in whatever script they wrote them
        wording.id = "suggested-waiting-" + position;
        row.appendChild(wording);
        row.appendChild(element("p", "meta", item.asked_label));
        var join = element("p");
        // In this tab (inside the embed, in its frame): the reader joins instead of writing.
        var joinLink = link(item, label(box, "join", "I want to know too"), false);
        joinLink.setAttribute("aria-describedby", wording.id); // which question, for screen readers
        join.appendChild(joinLink);
        row.appendChild(join);
        rows.appendChild(row);
      });
      joinable.appendChild(rows);
      box.appendChild(joinable);
    }
    if (box.childElementCount) {
      box.appendChild(element("p", "hint", label(box, "anyway", "Not what you want to know? Send your question anyway.")));
    }
    box.hidden = !box.childElementCount;
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(function (form) {
    var field = form.querySelector('textarea[name="question"]');
    var box = form.querySelector("[data-suggestions]");
    if (!field || !box || !window.fetch) return;
    var timer = null;
    var latest = 0;
    var lastSent = "";

    function ask() {
      var text = field.value.trim();
      if (words(text) < MIN_WORDS || text === lastSent) return;
      lastSent = text;
      var call = ++latest;
      fetch(form.dataset.suggestUrl, {
        method: "POST",
        body: new URLSearchParams({ question: text }),
        credentials: "omit",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && call === latest) render(box, data);
        })
        .catch(function () {
          // Suggestions are a help, never a step: a failure shows nothing.
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (words(field.value) < MIN_WORDS) {
        // Too little to match on: what was shown no longer fits what is typed.
        latest++;
        lastSent = "";
        box.hidden = true;
        box.replaceChildren();
        return;
      }
      timer = window.setTimeout(ask, PAUSE_MS);
    });
  });
})();

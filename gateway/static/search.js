/* Instant results under the header's search box, and filter forms that apply themselves.
   Without JavaScript the search box is a plain form and the filters have an Apply button. */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-instant]");
  var input = form && form.querySelector("#q");
  var list = form && form.querySelector("#instant-results");
  var status = form && form.querySelector("#instant-status");
  var timer = null;
  var pending = null;
  var active = -1;

  function options() { return list ? list.querySelectorAll("[role=option]") : []; }

  function close() {
    if (!list) { return; }
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(data) {
    list.innerHTML = "";
    active = -1;
    if (!data.hits.length) {
      status.textContent = "No quick matches; press Enter to search.";
      close();
      return;
    }
    data.hits.forEach(function (hit, index) {
      var link = document.createElement("a");
      link.href = hit.url;
      link.id = "instant-option-" + index;
      link.className = "instant-option";
      link.setAttribute("role", "option");
      var title = document.createElement("span");
      title.className = "instant-title";
      title.innerHTML = hit.title_html; /* escaped by the server; only <mark> is markup */
      var meta = document.createElement("span");
      meta.className = "instant-meta";
      meta.textContent = [hit.author, hit.shop_name, hit.price].filter(Boolean).join(" · ");
      link.appendChild(title);
      link.appendChild(meta);
      list.appendChild(link);
    });
    var more = document.createElement("a");
    more.href = data.more_url;
    more.className = "instant-more";
    more.textContent = "All " + data.total + " results";
    list.appendChild(more);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = data.hits.length + " quick matches; use the arrow keys to choose.";
  }

  function lookUp() {
    var query = input.value.trim();
    if (pending) { pending.abort(); }
    if (!query) { close(); return; }
    pending = new AbortController();
    fetch(form.dataset.instant + "?q=" + encodeURIComponent(query),
          { headers: { Accept: "application/json" }, signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value.trim() === query) { show(data); } })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  function move(step) {
    var found = options();
    if (!found.length) { return; }
    active = (active + step + found.length) % found.length;
    found.forEach(function (option, index) {
      option.setAttribute("aria-selected", index === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", found[active].id);
  }

  if (input && list) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].href;
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { close(); }
    });
  }

  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

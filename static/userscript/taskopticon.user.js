// ==UserScript==
// @name         Taskopticon ratings on Mechanical Turk
// @namespace    taskopticon
// @version      1.0.0
// @description  Shows each requester's Taskopticon rating, reviewer count, median hourly pay and warnings on Amazon Mechanical Turk task lists. Sends only requester IDs.
// @match        https://worker.mturk.com/*
// @match        https://www.mturk.com/*
// @grant        GM_xmlhttpRequest
// @grant        GM.xmlHttpRequest
// @connect      *
// @run-at       document-idle
// @noframes
// ==/UserScript==

(function () {
  "use strict";

  // The address of the Taskopticon site you use, without a trailing slash.
  const TASKOPTICON_URL = "http://127.0.0.1:5000";
  // The platform's slug on that site (its page is TASKOPTICON_URL/platforms/<slug>).
  const PLATFORM = "amazon-mechanical-turk";
  // The API answers at most this many identifiers in one lookup.
  const MAX_IDS = 100;

  const REQUESTER_LINK = /\/requesters\/([A-Za-z0-9_-]{4,64})(?:[/?#]|$)/;
  const VALID_ID = /^[A-Z0-9_-]{4,64}$/;
  const MARK = "data-taskopticon";

  const french = (navigator.language || "en").toLowerCase().startsWith("fr");
  const words = french
    ? {
        reviews: (n) => (n === 1 ? "1 avis" : n + " avis"),
        perHour: "/h",
        none: "pas encore d'avis — soyez le premier",
        warning: (n) => (n === 1 ? "1 alerte confirmée" : n + " alertes confirmées"),
        score: "score de classement",
        title: "Taskopticon : voir la page de ce donneur d'ordres",
      }
    : {
        reviews: (n) => (n === 1 ? "1 review" : n + " reviews"),
        perHour: "/h",
        none: "no reviews yet — be the first",
        warning: (n) => (n === 1 ? "1 confirmed warning" : n + " confirmed warnings"),
        score: "ranking score",
        title: "Taskopticon: see this requester's page",
      };

  const known = new Map(); // identifier -> answer (an entry, or null when unknown)
  let newReviewUrl = null;
  let pending = false;

  function requesterNodes() {
    const found = [];
    document.querySelectorAll('a[href*="/requesters/"]').forEach((link) => {
      const match = REQUESTER_LINK.exec(link.getAttribute("href") || "");
      if (match) found.push({ node: link, id: match[1].toUpperCase() });
    });
    document.querySelectorAll("[data-requester-id]").forEach((node) => {
      const id = (node.getAttribute("data-requester-id") || "").trim().toUpperCase();
      if (id) found.push({ node: node, id: id });
    });
    return found.filter(
      (item) =>
        VALID_ID.test(item.id) && !item.node.hasAttribute(MARK) && !item.node.closest(".taskopticon")
    );
  }

  function getJson(url) {
    const gm =
      (typeof GM !== "undefined" && GM && GM.xmlHttpRequest) ||
      (typeof GM_xmlhttpRequest === "function" ? GM_xmlhttpRequest : null);
    if (gm) {
      // The userscript manager's request is not bound by the task site's own policies.
      return new Promise((resolve, reject) => {
        gm({
          method: "GET",
          url: url,
          anonymous: true,
          headers: { Accept: "application/json" },
          onload: (response) =>
            response.status === 200
              ? resolve(JSON.parse(response.responseText))
              : reject(new Error("Taskopticon answered " + response.status)),
          onerror: reject,
        });
      });
    }
    return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } }).then(
      (response) => {
        if (!response.ok) throw new Error("Taskopticon answered " + response.status);
        return response.json();
      }
    );
  }

  function link(href, text, title) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    if (title) anchor.title = title;
    return anchor;
  }

  function hourly(median) {
    if (!median) return null;
    try {
      const amount = new Intl.NumberFormat(navigator.language || "en", {
        style: "currency",
        currency: median.currency,
      }).format(Number(median.amount));
      return amount + words.perHour;
    } catch (error) {
      return median.amount + " " + median.currency + words.perHour;
    }
  }

  function badgeFor(id, entry) {
    const badge = document.createElement("span");
    badge.className = "taskopticon";
    badge.setAttribute("data-taskopticon-id", id);
    Object.assign(badge.style, {
      marginLeft: "0.4em",
      fontSize: "0.85em",
      whiteSpace: "nowrap",
    });
    if (!entry || !entry.aggregates || !entry.aggregates.reviewer_count) {
      const target = entry
        ? TASKOPTICON_URL + entry.url + "/reviews/new"
        : TASKOPTICON_URL + newReviewUrl + "&id=" + encodeURIComponent(id);
      const invite = link(target, words.none, words.title);
      invite.className = "taskopticon-unknown";
      badge.appendChild(invite);
    } else {
      const figures = entry.aggregates;
      const parts = [];
      if (figures.ranking_score !== null) parts.push("★ " + figures.ranking_score.toFixed(1));
      parts.push(words.reviews(figures.reviewer_count));
      const pay = hourly(figures.median_hourly);
      if (pay) parts.push(pay);
      const summary = link(TASKOPTICON_URL + entry.url, parts.join(" · "), words.title);
      summary.className = "taskopticon-summary";
      summary.setAttribute("data-score", figures.ranking_score);
      badge.appendChild(summary);
    }
    const warnings = (entry && entry.warnings) || [];
    if (warnings.length) {
      const mark = link(
        TASKOPTICON_URL + warnings[0].url,
        "⚠ " + warnings.length,
        words.warning(warnings.length) +
          ": " +
          warnings.map((w) => w.category_label + " — " + w.title).join("; ")
      );
      mark.className = "taskopticon-warning";
      Object.assign(mark.style, { marginLeft: "0.4em", color: "#b3261e", fontWeight: "bold" });
      badge.appendChild(mark);
    }
    return badge;
  }

  function annotate(items) {
    items.forEach((item) => {
      if (item.node.hasAttribute(MARK) || !known.has(item.id)) return;
      item.node.setAttribute(MARK, "done");
      item.node.insertAdjacentElement("afterend", badgeFor(item.id, known.get(item.id)));
    });
  }

  function scan() {
    if (pending) return;
    const items = requesterNodes();
    const missing = Array.from(new Set(items.map((item) => item.id)))
      .filter((id) => !known.has(id))
      .slice(0, MAX_IDS);
    if (!missing.length) {
      annotate(items);
      return;
    }
    pending = true;
    const url =
      TASKOPTICON_URL +
      "/api/v1/platforms/" +
      encodeURIComponent(PLATFORM) +
      "/requesters?ids=" +
      missing.map(encodeURIComponent).join(",");
    getJson(url)
      .then((answer) => {
        newReviewUrl = answer.new_review_url;
        missing.forEach((id) => known.set(id, answer.requesters[id] || null));
        annotate(requesterNodes());
      })
      .catch((error) => console.warn("Taskopticon:", error))
      .finally(() => {
        pending = false;
      });
  }

  // Task lists are drawn by scripts and change page without reloading: look again when the
  // list changes, asking only about identifiers not seen yet.
  let timer = null;
  new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(scan, 400);
  }).observe(document.body, { childList: true, subtree: true });
  scan();
})();

// Forms in the browser, a little better with JavaScript: table rows are added (and, in tables
// no other table names by row number, removed) on the page instead of by sending the form
// back; the error summary takes the focus so a screen reader reads it first. Without this
// file every button still works: the server adds or removes the row and shows the page again.
"use strict";

function inputId(name) {
  // the server's ids: `czlonkowie[2].pesel` -> `pole-czlonkowie-2-pesel` (webforms._id)
  return "pole-" + name.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

function renumber(row, key, from, to) {
  const old = key + "[" + from + "]";
  const now = key + "[" + to + "]";
  row.querySelectorAll("[name]").forEach((el) => {
    if (el.name.startsWith(old)) {
      el.name = now + el.name.slice(old.length);
      el.id = inputId(el.name);
    }
    if (el.name === "usun_wiersz") el.value = now;
  });
  row.querySelectorAll("[aria-label]").forEach((el) => {
    el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/wiersz \d+/, "wiersz " + to));
  });
  row.querySelectorAll(".sr").forEach((el) => {
    el.textContent = el.textContent.replace(/wiersz \d+/, "wiersz " + to);
  });
  const nr = row.querySelector("td.nr");
  if (nr) nr.textContent = to;
  row.querySelectorAll("input[readonly]").forEach((el) => { el.value = to; });
}

function clear(row) {
  row.querySelectorAll(".blad-pola").forEach((el) => el.remove());
  row.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  row.querySelectorAll("[aria-describedby]").forEach((el) => el.removeAttribute("aria-describedby"));
  row.querySelectorAll("input, textarea, select").forEach((el) => {
    if (el.readOnly || el.type === "hidden" || el.type === "submit") return;
    if (el.type === "checkbox") el.checked = false;
    else if (el.tagName === "SELECT") el.selectedIndex = 0;
    else el.value = "";
  });
}

function rows(table) {
  return Array.from(table.querySelectorAll("tbody > tr"));
}

function setCount(table) {
  table.querySelector("input[name^='wiersze:']").value = rows(table).length;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[name=dodaj_wiersz], button[name=usun_wiersz]");
  const table = button && button.closest(".tabela");
  if (!table) return;
  const key = table.dataset.klucz;
  const all = rows(table);
  if (button.name === "dodaj_wiersz") {
    if (all.length >= Number(table.dataset.najwiecej)) return; // the server says why
    event.preventDefault();
    const last = all[all.length - 1];
    const added = last.cloneNode(true);
    renumber(added, key, all.length, all.length + 1);
    clear(added);
    last.after(added);
    setCount(table);
    const first = added.querySelector("input:not([readonly]), textarea, select");
    if (first) first.focus();
  } else if (table.dataset.numerowana !== "tak") {
    event.preventDefault();
    const row = button.closest("tr");
    const number = all.indexOf(row) + 1;
    if (all.length === 1) {
      clear(row);
    } else {
      row.remove();
      rows(table).slice(number - 1).forEach((later, i) => renumber(later, key, number + i + 1, number + i));
    }
    setCount(table);
    const next = rows(table)[Math.min(number, rows(table).length) - 1];
    (next.querySelector("input:not([readonly]), textarea, select") || table.querySelector("button[name=dodaj_wiersz]")).focus();
  }
});

// Ten minutes before the session ends, say so at the top of the form (what is typed after
// the end is lost unless saved as a draft first).
function remindOfTheSessionEnd() {
  const said = document.getElementById("koniec-sesji");
  const ends = said && Date.parse(said.dataset.koniec || "");
  if (!ends) return;
  const warn = () => {
    const note = document.createElement("p");
    note.className = "flash blad";
    note.setAttribute("role", "alert");
    note.id = "sesja-konczy-sie";
    const time = new Date(ends).toLocaleTimeString("pl-PL", { hour: "2-digit", minute: "2-digit" });
    note.textContent = "Sesja kończy się o " + time + ". Zapisz szkic albo wyślij formularz teraz, " +
      "żeby nie stracić wpisanych danych.";
    document.querySelector("form.formularz").before(note);
  };
  const wait = ends - Date.now() - 10 * 60 * 1000;
  if (wait <= 0) warn();
  else if (wait < 2 ** 31) setTimeout(warn, wait);
}

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("bledy");
  if (summary) summary.focus();
  remindOfTheSessionEnd();
});

// The simulator page: one citizen per browser tab, chatting with one department number.
"use strict";

const $ = (selector) => document.querySelector(selector);
const store = window.sessionStorage;

function randomCitizen() {
  let digits = "9199";
  for (let i = 0; i < 8; i += 1) digits += Math.floor(Math.random() * 10);
  return digits;
}

const state = {
  citizen: store.getItem("nagrik.citizen") || randomCitizen(),
  name: store.getItem("nagrik.name") || "Citizen",
  number: store.getItem("nagrik.number") || "",
  after: 0,
  shown: JSON.parse(store.getItem("nagrik.shown") || "[]"),
};
store.setItem("nagrik.citizen", state.citizen);

function remember() {
  store.setItem("nagrik.name", state.name);
  store.setItem("nagrik.number", state.number);
  store.setItem("nagrik.shown", JSON.stringify(state.shown.slice(-300)));
}

// Links in text become clickable (payment links, verification pages).
function linkify(element, text) {
  const pattern = /(https?:\/\/[^\s]+|upi:\/\/[^\s]+)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    element.append(text.slice(last, match.index));
    const link = document.createElement("a");
    link.href = match[0];
    link.textContent = match[0];
    link.target = "_blank";
    link.rel = "noopener";
    element.append(link);
    last = match.index + match[0].length;
  }
  element.append(text.slice(last));
}

function bubble(direction) {
  const element = document.createElement("div");
  element.className = `msg ${direction}`;
  $("#chat").append(element);
  return element;
}

function scrollDown() {
  const chat = $("#chat");
  chat.scrollTop = chat.scrollHeight;
}

function showOwn(item) {
  const element = bubble("out");
  element.dataset.id = item.id || "";
  if (item.file) {
    element.textContent = `📎 ${item.file}`;
  } else {
    element.textContent = item.text;
  }
  const tick = document.createElement("span");
  tick.className = item.ok ? "tick ok" : "tick";
  tick.textContent = item.ok ? "✓✓" : "…";
  element.append(tick);
  scrollDown();
  return tick;
}

function showInteractive(element, item) {
  const interactive = item.interactive;
  const body = document.createElement("div");
  linkify(body, interactive.body.text);
  element.append(body);
  const action = interactive.action || {};
  if (interactive.type === "button") {
    for (const button of action.buttons) {
      const tap = document.createElement("button");
      tap.className = "reply-button";
      tap.textContent = button.reply.title;
      tap.onclick = () => sendChoice("button_reply", button.reply.id, button.reply.title, item);
      element.append(tap);
    }
  } else if (interactive.type === "list") {
    const open = document.createElement("button");
    open.className = "list-open";
    open.textContent = `☰ ${action.button}`;
    const rows = document.createElement("div");
    rows.className = "list-rows";
    rows.hidden = true;
    for (const section of action.sections) {
      if (section.title) {
        const title = document.createElement("h4");
        title.textContent = section.title;
        rows.append(title);
      }
      for (const row of section.rows) {
        const tap = document.createElement("button");
        tap.className = "list-row";
        tap.textContent = row.title;
        if (row.description) {
          const description = document.createElement("span");
          description.className = "desc";
          description.textContent = row.description;
          tap.append(description);
        }
        tap.onclick = () => {
          rows.hidden = true;
          sendChoice("list_reply", row.id, row.title, item);
        };
        rows.append(tap);
      }
    }
    open.onclick = () => { rows.hidden = !rows.hidden; };
    element.append(open, rows);
  } else if (interactive.type === "cta_url") {
    const link = document.createElement("a");
    link.className = "cta";
    link.href = action.parameters.url;
    link.target = "_blank";
    link.textContent = action.parameters.display_text;
    element.append(link);
  }
}

function showIncoming(item) {
  const element = bubble("in");
  element.dataset.seq = item.seq;
  if (item.type === "text" || (item.type === "template" && !item.media_url)) {
    linkify(element, item.text);
  } else if (item.type === "interactive") {
    showInteractive(element, item);
  } else if (item.type === "image") {
    const image = document.createElement("img");
    image.className = "image";
    image.src = item.media_url;
    image.alt = item.caption || "image";
    element.append(image);
    if (item.caption) element.append(item.caption);
  } else if (item.type === "document" || item.type === "template") {
    if (item.text) {
      const text = document.createElement("div");
      linkify(text, item.text);
      element.append(text);
    }
    const link = document.createElement("a");
    link.className = "document";
    link.href = item.media_url;
    link.target = "_blank";
    link.textContent = `📄 ${item.filename || "document"}`;
    element.append(link);
    if (item.caption) element.append(item.caption);
  }
  scrollDown();
}

function render() {
  $("#chat").replaceChildren();
  for (const item of state.shown) {
    if (item.number !== state.number) continue;
    if (item.own) showOwn(item);
    else showIncoming(item);
  }
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function sendOwn(item, request) {
  item.own = true;
  item.number = state.number;
  state.shown.push(item);
  const tick = showOwn(item);
  const answer = await request();
  item.id = answer.message_id;
  item.ok = answer.status === 200;
  tick.className = item.ok ? "tick ok" : "tick";
  tick.textContent = item.ok ? "✓✓" : `✗ ${answer.status}`;
  remember();
}

function base() {
  return { citizen: state.citizen, name: state.name, phone_number_id: state.number };
}

function sendText(text) {
  return sendOwn({ text }, () => post("/simulator/send", { ...base(), type: "text", text }));
}

function sendChoice(type, id, title, item) {
  return sendOwn({ text: title }, () => post("/simulator/send", {
    ...base(), type, reply_id: id, reply_title: title, context_id: item.wamid,
  }));
}

function sendFile(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("citizen", state.citizen);
  form.append("name", state.name);
  form.append("phone_number_id", state.number);
  return sendOwn({ file: file.name }, async () => {
    const response = await fetch("/simulator/upload", { method: "POST", body: form });
    return response.json();
  });
}

async function poll() {
  try {
    const response = await fetch(
      `/simulator/messages?citizen=${state.citizen}&after=${state.after}`);
    const items = await response.json();
    for (const item of items) {
      state.after = Math.max(state.after, item.seq);
      if (state.shown.some((seen) => !seen.own && seen.seq === item.seq)) continue;
      item.number = item.from;
      state.shown.push(item);
      if (item.number === state.number) showIncoming(item);
    }
    if (items.length) remember();
  } finally {
    window.setTimeout(poll, 600);
  }
}

async function start() {
  $("#citizen").textContent = `+${state.citizen}`;
  $("#name").value = state.name;
  const numbers = await (await fetch("/simulator/numbers")).json();
  for (const number of numbers) {
    const option = document.createElement("option");
    option.value = number.phone_number_id;
    const label = number.name ? `${number.name}` : number.department;
    option.textContent = `${label} · ${number.display_phone_number}`;
    $("#number").append(option);
  }
  const known = numbers.some((n) => n.phone_number_id === state.number);
  if (!known) {
    const general = numbers.find((n) => n.general) || numbers[0];
    state.number = general.phone_number_id;
  }
  $("#number").value = state.number;
  state.after = Math.max(0, ...state.shown.filter((s) => !s.own).map((s) => s.seq));
  render();
  poll();
}

$("#number").onchange = (event) => {
  state.number = event.target.value;
  remember();
  render();
};
$("#name").onchange = (event) => {
  state.name = event.target.value || "Citizen";
  remember();
};
$("#new-citizen").onclick = () => {
  store.clear();
  window.location.reload();
};
$("#composer").onsubmit = (event) => {
  event.preventDefault();
  const text = $("#text").value.trim();
  if (!text) return;
  $("#text").value = "";
  sendText(text);
};
$("#file").onchange = (event) => {
  const file = event.target.files[0];
  if (file) sendFile(file);
  event.target.value = "";
};

start();

// The host console: sign in with an API key, then manage your room sets through /api/v1.

import { Api, ApiError, totalOf } from "./api.js";
import { append, clear, field, formatNumber, h, plural, safeColor, safeImageUrl, show } from "./dom.js";

// sessionStorage only: the key dies with the tab and is never written to disk by us.
const KEY_STORAGE = "roomsets.console.apiKey";
const REFRESH_MS = 5000;
const PAGE_SIZE = 10;
const THEME_PAGE_SIZE = 100;
// Mirrors roomsets/rooms/sizes.py: the server applies the size, these numbers only label the choice.
const SIZES = [
  { name: "Mini", width: 2000, height: 2000, people: 10 },
  { name: "Small", width: 4000, height: 4000, people: 25 },
  { name: "Medium", width: 8000, height: 8000, people: 75 },
  { name: "Large", width: 12000, height: 12000, people: 125 },
  { name: "X-Large", width: 16000, height: 16000, people: 200 },
  { name: "Jumbo", width: 20000, height: 20000, people: 300 },
];
const DEFAULT_SIZE = "Medium";
const PERMISSION_LABELS = {
  PUBLIC: "Public",
  COMPANY_AND_CONNECTIONS: "Company and connections",
  CONNECTIONS: "Connections",
  COMPANY: "Company",
};
const STATUS_LABELS = { WAITING: "Waiting", JOINED: "Present", REJECTED: "Turned away", LEFT: "Left" };

const $ = (id) => document.getElementById(id);

const state = {
  api: null,
  me: null,
  page: 0,
  sort: "dateCreated,desc",
  total: 0,
  sets: [],
  signature: "",
  loading: null,
  dialogRefresh: null,
  statusTimer: null,
};

// ---------------------------------------------------------------- errors

function renderError(node, error, prefix) {
  clear(node);
  if (error instanceof ApiError) {
    node.append(h("p", { class: "notice-text", text: prefix ? `${prefix} ${error.message}` : error.message }));
    const lines = error.fieldErrors;
    if (lines.length) node.append(h("ul", { class: "notice-list" }, lines.map((line) => h("li", { text: line }))));
  } else {
    console.error(error);
    const detail = error && error.message ? error.message : String(error);
    node.append(h("p", { class: "notice-text", text: `Something went wrong in the console: ${detail}` }));
  }
  show(node, true);
}

function hideNotice(node) {
  clear(node);
  show(node, false);
}

function announce(message) {
  const node = $("status");
  clear(node).append(h("p", { class: "notice-text", text: message }));
  show(node, true);
  clearTimeout(state.statusTimer);
  state.statusTimer = setTimeout(() => hideNotice(node), 6000);
}

// A rejected key ends the session wherever it shows up.
function handleUnauthorized(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut(error);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- views

function showView(name) {
  show($("loading-view"), name === "loading");
  show($("sign-in-view"), name === "sign-in");
  show($("sets-view"), name === "sets");
  show($("account"), name === "sets");
}

function showSignIn(error) {
  showView("sign-in");
  const errorNode = $("sign-in-error");
  if (error) renderError(errorNode, error);
  else hideNotice(errorNode);
  $("api-key").setAttribute("aria-invalid", error ? "true" : "false");
  $("api-key").focus();
}

async function signIn(key) {
  const api = new Api(key);
  const { data: me } = await api.get("/api/v1/user/me");
  state.api = api;
  state.me = me;
  sessionStorage.setItem(KEY_STORAGE, key);
  $("account-name").textContent = me.name || me.emailAddress || "you";
  $("account-name").title = me.emailAddress || "";
  state.page = 0;
  state.signature = "";
  showView("sets");
  await loadSets();
}

function signOut(error) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.api = null;
  state.me = null;
  state.sets = [];
  state.signature = "";
  if ($("dialog").open) $("dialog").close();
  clear($("sets"));
  hideNotice($("banner"));
  hideNotice($("status"));
  $("api-key").value = "";
  showSignIn(error ? new ApiError(error.status, error.problem, `You were signed out: ${error.message}`) : null);
}

// ---------------------------------------------------------------- room sets

// Everything but the live counts: when it is unchanged, a refresh only rewrites the numbers.
function signatureOf(sets) {
  return JSON.stringify(sets, (key, value) => (key === "socialMeta" || key === "myBadgeData" ? undefined : value));
}

// One load at a time. A refresh joins the load in flight; a load after a change waits for
// it and then asks again, so what the host sees is never older than their own change.
async function loadSets({ quiet = false } = {}) {
  if (state.loading) {
    if (quiet) return state.loading;
    await state.loading.catch(() => {});
    return loadSets({ quiet });
  }
  const load = fetchSets({ quiet });
  state.loading = load;
  try {
    return await load;
  } finally {
    if (state.loading === load) state.loading = null;
  }
}

async function fetchSets({ quiet }) {
  const api = state.api;
  if (!api) return;
  try {
    const { data, headers } = await api.get("/api/v1/social/room/set/mine", {
      page: state.page,
      size: PAGE_SIZE,
      sort: state.sort,
    });
    // Signed out (or in as someone else) meanwhile: this answer belongs to nobody on screen.
    if (state.api !== api) return;
    state.total = totalOf(headers, data.length);
    const lastPage = Math.max(0, Math.ceil(state.total / PAGE_SIZE) - 1);
    if (data.length === 0 && state.page > lastPage) {
      state.page = lastPage;
      return fetchSets({ quiet });
    }
    state.sets = data;
    hideNotice($("banner"));
    const signature = signatureOf(data);
    if (signature === state.signature) updateCounts();
    else {
      state.signature = signature;
      renderSets();
    }
  } catch (error) {
    if (state.api !== api) return;
    if (!handleUnauthorized(error)) renderError($("banner"), error, quiet ? "The list could not be refreshed:" : null);
  }
}

function renderSets() {
  const container = $("sets");
  const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  clear(container);
  if (state.sets.length === 0) {
    container.append(
      h(
        "div",
        { class: "card empty" },
        h("h2", { text: "No room sets yet" }),
        h("p", { class: "muted", text: "A room set is a group of connected rooms people can move between. Create your first one." }),
        h("button", { type: "button", class: "button primary", "data-key": "empty:new", onclick: openCreateSet, text: "New room set" }),
      ),
    );
  }
  for (const set of state.sets) container.append(renderSet(set));
  updateSummary();
  if (focusKey) {
    const again = container.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
    if (again) again.focus();
  }
}

function updateSummary() {
  const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
  $("sets-summary").textContent =
    state.total === 0 ? "You host no room sets." : `You host ${plural(state.total, "room set", "room sets")}.`;
  show($("pager"), state.total > PAGE_SIZE);
  $("page-label").textContent = `Page ${state.page + 1} of ${pages}`;
  $("prev-page").disabled = state.page === 0;
  $("next-page").disabled = state.page >= pages - 1;
}

function renderSet(set) {
  const titleId = `set-${set.socialRoomSetId}`;
  const rooms = set.socials || [];
  const tags = [
    PERMISSION_LABELS[set.socialPermissionType] || set.socialPermissionType,
    plural(rooms.length, "room", "rooms"),
    set.hostAdmitted ? "Hosts admit people" : null,
    set.allowGuestUsers ? "Guests allowed" : null,
    set.entryOption && set.entryOption !== "DEFAULT" ? `Entry: ${set.entryOption.replaceAll("_", " ").toLowerCase()}` : null,
  ].filter(Boolean);
  const key = (action) => `${action}:${set.socialRoomSetId}`;
  return h(
    "article",
    { class: "card set", "aria-labelledby": titleId, dataset: { setId: set.socialRoomSetId } },
    h(
      "header",
      { class: "set-head" },
      h(
        "div",
        { class: "set-title" },
        h("h2", { id: titleId, text: set.name }),
        set.description ? h("p", { class: "muted set-description", text: set.description }) : null,
        h("ul", { class: "tags", "aria-label": "Settings" }, tags.map((tag) => h("li", { class: "tag", text: tag }))),
      ),
      h(
        "div",
        { class: "set-actions" },
        h("button", { type: "button", class: "button", "data-key": key("rename"), "aria-label": `Rename ${set.name}`, onclick: () => openRenameSet(set), text: "Rename" }),
        h("button", { type: "button", class: "button", "data-key": key("copy"), "aria-label": `Copy ${set.name}`, onclick: () => openCopySet(set), text: "Copy" }),
        h("button", { type: "button", class: "button danger-outline", "data-key": key("delete"), "aria-label": `Delete ${set.name}`, onclick: () => openDeleteSet(set), text: "Delete" }),
      ),
    ),
    h(
      "ul",
      { class: "rooms", "aria-label": `Rooms of ${set.name}` },
      rooms.map((room) => renderRoom(set, room)),
      h(
        "li",
        { class: "room add-room" },
        h("button", { type: "button", class: "add-room-button", "data-key": key("add-room"), onclick: () => openAddRoom(set) },
          h("span", { class: "plus", "aria-hidden": "true", text: "+" }),
          h("span", { text: "Add a room" }),
          h("span", { class: "visually-hidden", text: ` to ${set.name}` }),
        ),
      ),
    ),
  );
}

function themeSwatch(theme) {
  const box = h("div", { class: "swatch", "aria-hidden": "true" });
  if (!theme) {
    box.classList.add("swatch-none");
    box.append(h("span", { text: "No theme" }));
    return box;
  }
  const background = safeColor(theme.colorBackground) || "#e5e7eb";
  box.style.setProperty("--swatch-bg", background);
  box.style.setProperty("--swatch-gradient", safeColor(theme.colorGradientBackground) || background);
  box.style.setProperty("--swatch-primary", safeColor(theme.colorPrimary) || "#4f46e5");
  box.style.setProperty("--swatch-secondary", safeColor(theme.colorSecondary) || safeColor(theme.colorPrimary) || "#a5b4fc");
  const source = safeImageUrl(theme.previewImageURI) || safeImageUrl(theme.minimapImageURI);
  if (source && theme.type !== "SINGLE_COLOR") {
    const image = h("img", { src: source, alt: "", loading: "lazy", decoding: "async" });
    // A missing image leaves the theme's colours showing rather than a broken icon.
    image.addEventListener("error", () => image.remove());
    box.append(image);
  } else {
    box.append(h("span", { class: "dot dot-primary" }), h("span", { class: "dot dot-secondary" }));
  }
  const upload = theme.uploadStatus;
  if (upload && upload.status === "IN_PROGRESS") box.append(h("span", { class: "swatch-badge", text: `Preparing ${upload.progress}%` }));
  if (upload && upload.status === "FAILED") box.append(h("span", { class: "swatch-badge", text: "Image failed" }));
  return box;
}

function count(room, name, label) {
  const value = room.socialMeta ? room.socialMeta[name] : 0;
  return h(
    "div",
    { class: "count" },
    h("dt", { text: label }),
    h("dd", { dataset: { count: `${room.socialId}:${name}` }, text: formatNumber(value) }),
  );
}

function renderRoom(set, room) {
  const titleId = `room-${room.socialId}`;
  const key = (action) => `${action}:${room.socialId}`;
  const onlyRoom = (set.socials || []).length <= 1;
  const isStart = set.startingPointSocialId === room.socialId;
  const themeName = room.theme ? room.theme.socialThemeName : "No theme";
  return h(
    "li",
    { class: "room", "aria-labelledby": titleId, dataset: { roomId: room.socialId } },
    themeSwatch(room.theme),
    h(
      "div",
      { class: "room-body" },
      h(
        "div",
        { class: "room-title" },
        h(
          "div",
          { class: "room-name" },
          h("h3", { id: titleId, text: room.name }),
          isStart ? h("span", { class: "tag tag-accent", text: "Starting point" }) : null,
          room.hostAdmitted ? h("span", { class: "tag", text: "Host admits" }) : null,
          room.sessionId ? h("span", { class: "tag tag-live", text: "Live" }) : null,
        ),
        h("button", {
          type: "button",
          class: "button small danger-outline room-remove",
          "data-key": key("remove"),
          "aria-label": `Remove ${room.name}`,
          title: onlyRoom ? "A room set keeps at least one room." : `Remove ${room.name}`,
          disabled: onlyRoom,
          onclick: () => openRemoveRoom(set, room),
          text: "Remove",
        }),
      ),
      h(
        "p",
        { class: "room-facts" },
        h("span", { text: themeName }),
        h("span", { text: `${formatNumber(room.startingWidth)} × ${formatNumber(room.startingHeight)} px` }),
        h("span", { text: `up to ${plural(room.maxParticipants, "person", "people")}` }),
      ),
      h("dl", { class: "counts", "aria-label": `Live counts for ${room.name}` },
        count(room, "numberCurrentlyPresent", "Present"),
        count(room, "numberOfAttendees", "Attended"),
        count(room, "numberOfInvites", "Invited"),
      ),
      h(
        "div",
        { class: "room-actions" },
        h("button", { type: "button", class: "button small", "data-key": key("people"), "aria-label": `People in ${room.name}`, onclick: () => openPeople(room), text: "People" }),
        h("button", { type: "button", class: "button small", "data-key": key("invite"), "aria-label": `Invite people to ${room.name}`, onclick: () => openInvite(room), text: "Invite" }),
        h("button", { type: "button", class: "button small", "data-key": key("theme"), "aria-label": `Choose a theme for ${room.name}`, onclick: () => openTheme(room), text: "Theme" }),
      ),
    ),
  );
}

function updateCounts() {
  for (const set of state.sets) {
    for (const room of set.socials || []) {
      for (const [name, value] of Object.entries(room.socialMeta || {})) {
        const node = document.querySelector(`[data-count="${room.socialId}:${name}"]`);
        if (node && typeof value === "number") {
          const text = formatNumber(value);
          if (node.textContent !== text) node.textContent = text;
        }
      }
    }
  }
}

// ---------------------------------------------------------------- dialogs

const dialog = {
  onSubmit: null,
  onClose: null,
  returnKey: null,
  busy: false,
};

function openDialog({ title, body, submitLabel = "Save", cancelLabel = "Cancel", danger = false, onSubmit = null, onClose = null }) {
  const element = $("dialog");
  if (element.open) element.close();
  const opener = document.activeElement;
  dialog.returnKey = opener && opener.dataset ? opener.dataset.key || null : null;
  dialog.onSubmit = onSubmit;
  dialog.onClose = onClose;
  dialog.busy = false;
  $("dialog-title").textContent = title;
  clear($("dialog-body")).append(...[body].flat().filter(Boolean));
  hideNotice($("dialog-error"));
  const submit = $("dialog-submit");
  submit.textContent = submitLabel;
  submit.dataset.label = submitLabel;
  submit.className = `button ${danger ? "danger" : "primary"}`;
  submit.disabled = false;
  show(submit, Boolean(onSubmit));
  $("dialog-cancel").textContent = cancelLabel;
  element.showModal();
  const first = $("dialog-body").querySelector("input:not([type=hidden]):not([type=radio]), textarea, select, input[type=radio]:checked");
  (first || (onSubmit ? submit : $("dialog-cancel"))).focus();
  if (first && first.select && first.type !== "radio") first.select();
}

function closeDialog() {
  if ($("dialog").open) $("dialog").close();
}

function setDialogBusy(busy, label) {
  dialog.busy = busy;
  const submit = $("dialog-submit");
  submit.disabled = busy;
  submit.textContent = busy ? label || "Working…" : submit.dataset.label;
  $("dialog-form").setAttribute("aria-busy", busy ? "true" : "false");
}

async function submitDialog(event) {
  event.preventDefault();
  if (dialog.busy || !dialog.onSubmit) return;
  hideNotice($("dialog-error"));
  setDialogBusy(true);
  try {
    const keepOpen = await dialog.onSubmit();
    if (!keepOpen) closeDialog();
  } catch (error) {
    if (!handleUnauthorized(error)) {
      renderError($("dialog-error"), error);
      $("dialog-error").scrollIntoView({ block: "nearest" });
    }
  } finally {
    setDialogBusy(false);
  }
}

function dialogClosed() {
  state.dialogRefresh = null;
  const onClose = dialog.onClose;
  dialog.onSubmit = null;
  dialog.onClose = null;
  if (onClose) onClose();
  // Focus goes back to the button that opened the dialog, even if the list was redrawn meanwhile.
  if (dialog.returnKey) {
    const target = document.querySelector(`[data-key="${CSS.escape(dialog.returnKey)}"]`);
    // The button's set or room may be gone (deleted): the page itself takes focus then.
    if (target && !target.disabled) target.focus();
    else if (state.api) $("main").focus();
  }
}

// An input the dialog needs filled; says so in words instead of sending an empty name.
function requireValue(input, message) {
  const value = input.value.trim();
  if (!value) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
    throw new ApiError(422, null, message);
  }
  input.removeAttribute("aria-invalid");
  return value;
}

function textInput(value = "", props = {}) {
  return h("input", { type: "text", autocomplete: "off", maxlength: 255, ...props, value });
}

function sizeSelect(selected = DEFAULT_SIZE) {
  const select = h("select", {});
  for (const size of SIZES) {
    const option = h("option", {
      value: size.name,
      // Short enough to read whole in a closed select on a phone.
      text: `${size.name} — ${size.width / 1000}k × ${size.height / 1000}k, ${formatNumber(size.people)} people`,
    });
    option.selected = size.name === selected;
    select.append(option);
  }
  return select;
}

async function loadThemes() {
  const themes = [];
  for (let page = 0; page < 20; page += 1) {
    const { data, headers } = await state.api.get("/api/v1/theme", { page, size: THEME_PAGE_SIZE, sort: "dateCreated,asc" });
    themes.push(...data);
    if (themes.length >= totalOf(headers, themes.length) || data.length < THEME_PAGE_SIZE) break;
  }
  return themes;
}

// ---------------------------------------------------------------- set actions

function openCreateSet() {
  const name = textInput("", { required: true, placeholder: "e.g. Spring Summit" });
  const description = h("textarea", { rows: 3, maxlength: 10000 });
  const size = sizeSelect();
  const hostAdmitted = h("input", { type: "checkbox", id: "create-host-admitted" });
  openDialog({
    title: "New room set",
    submitLabel: "Create room set",
    body: [
      field("Name", name),
      field("Description (optional)", description),
      field("Size of the first room", size, "Width × height in pixels (8k = 8,000) and how many people fit. The room is named after the set; add more rooms afterwards."),
      h("div", { class: "check" }, hostAdmitted, h("label", { for: hostAdmitted.id, text: "People wait until a host admits them" })),
    ],
    onSubmit: async () => {
      const setName = requireValue(name, "Give the room set a name.");
      const { data } = await state.api.post("/api/v1/social/room/set", {
        name: setName,
        description: description.value.trim() || null,
        hostAdmitted: hostAdmitted.checked,
        socials: [{ name: setName, size: size.value }],
      });
      await afterSetCreated(data, `Room set “${data.name}” created.`);
    },
  });
}

async function afterSetCreated(set, message) {
  // Newest first puts it at the top of the first page, where the host can see it.
  state.sort = "dateCreated,desc";
  $("sort").value = state.sort;
  state.page = 0;
  await loadSets();
  announce(message);
  const card = document.querySelector(`[data-set-id="${CSS.escape(set.socialRoomSetId)}"]`);
  if (card) card.scrollIntoView({ block: "nearest" });
}

function openRenameSet(set) {
  const name = textInput(set.name, { required: true });
  const description = h("textarea", { rows: 3, maxlength: 10000 });
  description.value = set.description || "";
  let etag = null;
  // The ETag guards against overwriting a change another host made since the list was loaded.
  state.api
    .request("GET", `/api/v1/social/room/set/${encodeURIComponent(set.socialRoomSetId)}`)
    .then(({ headers }) => {
      etag = headers.get("ETag");
    })
    // Without it the update goes unguarded; its own answer still reports any error.
    .catch(() => {});
  openDialog({
    title: `Rename “${set.name}”`,
    submitLabel: "Save",
    body: [field("Name", name), field("Description (optional)", description)],
    onSubmit: async () => {
      const newName = requireValue(name, "A room set needs a name.");
      await state.api.post(
        "/api/v1/social/room/set/update",
        { socialRoomSetId: set.socialRoomSetId, name: newName, description: description.value.trim() || null },
        { headers: etag ? { "If-Match": etag } : {} },
      );
      await loadSets();
      announce(`Saved “${newName}”.`);
    },
  });
}

function openCopySet(set) {
  const name = textInput(`Copy of ${set.name}`.slice(0, 255), { required: true });
  openDialog({
    title: `Copy “${set.name}”`,
    submitLabel: "Copy room set",
    body: [
      h("p", { class: "muted", text: "The copy gets the same rooms, settings, themes, entry rules and badge questions. Invites and attendance stay with the original." }),
      field("Name of the copy", name),
    ],
    onSubmit: async () => {
      const copyName = requireValue(name, "Give the copy a name.");
      const { data } = await state.api.post("/api/v1/social/room/set/copy", undefined, {
        query: { socialRoomSetId: set.socialRoomSetId, name: copyName },
      });
      await afterSetCreated(data, `Copied “${set.name}” as “${data.name}”.`);
    },
  });
}

function openDeleteSet(set) {
  const rooms = (set.socials || []).length;
  openDialog({
    title: `Delete “${set.name}”?`,
    submitLabel: "Delete room set",
    danger: true,
    body: h("p", { text: `Its ${plural(rooms, "room", "rooms")}, their invites, attendance and badge answers are deleted with it. This cannot be undone.` }),
    onSubmit: async () => {
      await state.api.delete(`/api/v1/social/room/set/${encodeURIComponent(set.socialRoomSetId)}`);
      await loadSets();
      announce(`Deleted “${set.name}”.`);
    },
  });
}

// ---------------------------------------------------------------- room actions

function openAddRoom(set) {
  const name = textInput(`Room ${(set.socials || []).length + 1}`, { required: true });
  const size = sizeSelect();
  const theme = h("select", {}, h("option", { value: "", text: "No theme" }));
  theme.disabled = true;
  const themeField = field("Theme", theme, "Loading themes…");
  loadThemes()
    .then((themes) => {
      for (const item of themes) theme.append(h("option", { value: item.socialThemeId, text: item.socialThemeName }));
      theme.disabled = false;
      themeField.querySelector(".hint").textContent = "You can change it later.";
    })
    .catch((error) => {
      themeField.querySelector(".hint").textContent = `Themes could not be loaded: ${error.message}`;
    });
  openDialog({
    title: `Add a room to “${set.name}”`,
    submitLabel: "Add room",
    body: [field("Name", name), field("Size", size, "Width × height in pixels (8k = 8,000) and how many people fit."), themeField],
    onSubmit: async () => {
      const roomName = requireValue(name, "Give the room a name.");
      await state.api.post("/api/v1/social", {
        socialRoomSetId: set.socialRoomSetId,
        name: roomName,
        size: size.value,
        themeId: theme.value || null,
      });
      await loadSets();
      announce(`Added “${roomName}” to “${set.name}”.`);
    },
  });
}

function openRemoveRoom(set, room) {
  openDialog({
    title: `Remove “${room.name}”?`,
    submitLabel: "Remove room",
    danger: true,
    body: h("p", {
      text:
        `The room leaves “${set.name}” with its invites and attendance. This cannot be undone.` +
        (set.startingPointSocialId === room.socialId ? " The oldest remaining room becomes the starting point." : ""),
    }),
    onSubmit: async () => {
      await state.api.delete(`/api/v1/social/${encodeURIComponent(room.socialId)}`);
      await loadSets();
      announce(`Removed “${room.name}”.`);
    },
  });
}

function openTheme(room) {
  const list = h("div", { class: "theme-list", role: "radiogroup", "aria-label": "Themes" }, h("p", { class: "muted", text: "Loading themes…" }));
  const group = `theme-${room.socialId}`;
  const option = (value, label, detail, theme) => {
    const input = h("input", { type: "radio", name: group, value, id: `${group}-${value || "none"}` });
    input.checked = (room.themeId || "") === value;
    return h(
      "label",
      { class: "theme-option", for: input.id },
      input,
      themeSwatch(theme),
      h("span", { class: "theme-option-text" }, h("span", { class: "theme-option-name", text: label }), h("span", { class: "muted", text: detail })),
    );
  };
  openDialog({
    title: `Theme for “${room.name}”`,
    submitLabel: "Use this theme",
    body: list,
    onSubmit: async () => {
      const picked = list.querySelector("input[type=radio]:checked");
      if (!picked) throw new ApiError(422, null, "Pick a theme first.");
      await state.api.post("/api/v1/social/update", { socialId: room.socialId, themeId: picked.value || null });
      await loadSets();
      announce(`Theme of “${room.name}” changed.`);
    },
  });
  loadThemes()
    .then((themes) => {
      clear(list).append(
        option("", "No theme", "The room's plain background", null),
        ...themes.map((theme) => option(theme.socialThemeId, theme.socialThemeName, themeDetail(theme), theme)),
      );
      const checked = list.querySelector("input:checked");
      if (checked) checked.focus();
    })
    .catch((error) => {
      clear(list);
      if (!handleUnauthorized(error)) renderError($("dialog-error"), error, "Themes could not be loaded:");
    });
}

function themeDetail(theme) {
  const kinds = { SINGLE_COLOR: "Colours", SINGLE_IMAGE: "Image", LAYERED: "Layered image" };
  const parts = [kinds[theme.type] || theme.type];
  if (theme.imageWidth && theme.imageHeight) parts.push(`${formatNumber(theme.imageWidth)} × ${formatNumber(theme.imageHeight)} px`);
  if (theme.uploadStatus && theme.uploadStatus.status !== "COMPLETED") parts.push(theme.uploadStatus.status.replace("_", " ").toLowerCase());
  return parts.join(" · ");
}

function parseEmails(text) {
  return [...new Set(text.split(/[\s,;]+/).map((item) => item.trim()).filter(Boolean))];
}

function openInvite(room) {
  const emails = h("textarea", { rows: 4, placeholder: "kim@example.com, sam@example.com", autocomplete: "off", spellcheck: "false" });
  const results = h("ul", { class: "results", "aria-live": "polite" });
  openDialog({
    title: `Invite people to “${room.name}”`,
    submitLabel: "Send invites",
    cancelLabel: "Done",
    body: [field("E-mail addresses", emails, "One per line, or separated by commas. Each must belong to a user of this server."), results],
    onSubmit: async () => {
      const list = parseEmails(emails.value);
      if (list.length === 0) {
        emails.focus();
        throw new ApiError(422, null, "Type at least one e-mail address.");
      }
      const { data } = await state.api.post(
        `/api/v1/social/invite/${encodeURIComponent(room.socialId)}`,
        list.map((emailAddress) => ({ invitedUser: { emailAddress } })),
      );
      clear(results);
      const failed = [];
      data.forEach((item, index) => {
        const email = list[index];
        if (item.error) {
          failed.push(email);
          const text = item.error.includes(email) ? item.error : `${email}: ${item.error}`;
          results.append(h("li", { class: "result result-error" }, h("span", { class: "result-mark", "aria-hidden": "true", text: "✕" }), h("span", { text })));
        } else {
          const who = item.invitedUser && item.invitedUser.name ? ` (${item.invitedUser.name})` : "";
          results.append(h("li", { class: "result result-ok" }, h("span", { class: "result-mark", "aria-hidden": "true", text: "✓" }), h("span", { text: `${email}${who} invited` })));
        }
      });
      // What failed stays in the box to be corrected and sent again.
      emails.value = failed.join("\n");
      loadSets({ quiet: true });
      return true;
    },
  });
}

function personRow(room, attendee, reload) {
  const user = attendee.attendeeUser || {};
  const facts = [];
  // Waiting and present people are listed under those headings; the rest say what became of them.
  if (attendee.status === "WAITING" && attendee.queuePosition) facts.push(`${attendee.queuePosition} of ${attendee.queueLength} in the queue`);
  if (attendee.status !== "WAITING" && attendee.status !== "JOINED") facts.push(STATUS_LABELS[attendee.status] || attendee.status);
  if (attendee.isHost) facts.push("host");
  const actions = [];
  const name = user.name || user.emailAddress || "Someone";
  if (attendee.status === "WAITING") {
    const decide = (verb, done) => async (event) => {
      const buttons = event.currentTarget.parentElement.querySelectorAll("button");
      buttons.forEach((button) => (button.disabled = true));
      hideNotice($("dialog-error"));
      try {
        await state.api.post(`/api/v1/social/${encodeURIComponent(room.socialId)}/attendees/${encodeURIComponent(attendee.socialAttendeeId)}/${verb}`);
        announce(`${name} ${done}.`);
        await reload();
        loadSets({ quiet: true });
      } catch (error) {
        buttons.forEach((button) => (button.disabled = false));
        if (!handleUnauthorized(error)) renderError($("dialog-error"), error);
      }
    };
    actions.push(
      h("button", { type: "button", class: "button small primary", "aria-label": `Admit ${name}`, onclick: decide("admit", "was admitted"), text: "Admit" }),
      h("button", { type: "button", class: "button small danger-outline", "aria-label": `Reject ${name}`, onclick: decide("reject", "was turned away"), text: "Reject" }),
    );
  }
  return h(
    "li",
    { class: `person status-${attendee.status.toLowerCase()}` },
    h("span", { class: "avatar", "aria-hidden": "true", text: initials(user) }),
    h("span", { class: "person-text" }, h("span", { class: "person-name", text: name }), h("span", { class: "muted", text: [user.emailAddress, facts.join(" · ")].filter(Boolean).join(" — ") })),
    actions.length ? h("span", { class: "person-actions" }, actions) : null,
  );
}

function initials(user) {
  const source = user.name || user.emailAddress || "?";
  return source
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0].toUpperCase())
    .join("");
}

function openPeople(room) {
  const body = h("div", { class: "people" }, h("p", { class: "muted", text: "Loading…" }));
  const size = 200;
  const reload = async () => {
    const { data, headers } = await state.api.get(`/api/v1/social/${encodeURIComponent(room.socialId)}/attendees`, {
      page: 0,
      size,
      sort: "dateTimeArrived,asc",
    });
    const total = totalOf(headers, data.length);
    const waiting = data.filter((a) => a.status === "WAITING").sort((a, b) => (a.queuePosition || 0) - (b.queuePosition || 0));
    const present = data.filter((a) => a.status === "JOINED");
    const earlier = data.filter((a) => a.status !== "WAITING" && a.status !== "JOINED");
    const focusedLabel = document.activeElement && body.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : null;
    const section = (title, items, empty) =>
      h(
        "section",
        { class: "people-section" },
        h("h3", {}, `${title} `, h("span", { class: "count-pill", text: formatNumber(items.length) })),
        items.length ? h("ul", { class: "people-list" }, items.map((a) => personRow(room, a, reload))) : h("p", { class: "muted", text: empty }),
      );
    append(
      clear(body),
      section("Waiting", waiting, room.hostAdmitted ? "Nobody is waiting to be admitted." : "Nobody is waiting. This room lets people in without a host, unless it is full."),
      section("Present", present, "Nobody is in the room right now."),
      earlier.length ? section("Earlier", earlier, "") : null,
      total > data.length ? h("p", { class: "muted", text: `Showing the first ${formatNumber(data.length)} of ${formatNumber(total)}.` }) : null,
    );
    if (focusedLabel) {
      const again = [...body.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === focusedLabel);
      if (again) again.focus();
    }
  };
  openDialog({ title: `People in “${room.name}”`, cancelLabel: "Close", body });
  const refresh = () =>
    reload().catch((error) => {
      if (!handleUnauthorized(error)) renderError($("dialog-error"), error, "The list could not be loaded:");
    });
  state.dialogRefresh = refresh;
  refresh();
}

// ---------------------------------------------------------------- wiring

function refreshTick() {
  if (!state.api || document.hidden) return;
  loadSets({ quiet: true });
  if (state.dialogRefresh) state.dialogRefresh();
}

async function turnPage(step) {
  state.page = Math.max(0, state.page + step);
  await loadSets();
  window.scrollTo({ top: 0 });
}

function wire() {
  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("api-key");
    const key = input.value.trim();
    if (!key) {
      showSignIn(new ApiError(0, null, "Paste your API key first."));
      return;
    }
    const button = $("sign-in-button");
    button.disabled = true;
    button.textContent = "Signing in…";
    try {
      await signIn(key);
      input.value = "";
    } catch (error) {
      showSignIn(error);
    } finally {
      button.disabled = false;
      button.textContent = "Sign in";
    }
  });
  $("sign-out").addEventListener("click", () => signOut());
  $("new-set").dataset.key = "toolbar:new";
  $("new-set").addEventListener("click", openCreateSet);
  $("sort").value = state.sort;
  $("sort").addEventListener("change", () => {
    state.sort = $("sort").value;
    state.page = 0;
    loadSets();
  });
  $("prev-page").addEventListener("click", () => turnPage(-1));
  $("next-page").addEventListener("click", () => turnPage(1));
  $("dialog-form").addEventListener("submit", submitDialog);
  $("dialog-cancel").addEventListener("click", closeDialog);
  $("dialog-close").addEventListener("click", closeDialog);
  $("dialog").addEventListener("close", dialogClosed);
  // While a change is being sent, Escape waits for its answer rather than hiding it.
  $("dialog").addEventListener("cancel", (event) => {
    if (dialog.busy) event.preventDefault();
  });
  // A click on the backdrop (outside the form) closes the dialog, like Escape.
  $("dialog").addEventListener("click", (event) => {
    if (event.target === $("dialog") && !dialog.busy) closeDialog();
  });
  setInterval(refreshTick, REFRESH_MS);
  document.addEventListener("visibilitychange", refreshTick);
}

async function start() {
  wire();
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) {
    showSignIn(null);
    return;
  }
  try {
    await signIn(key);
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    showSignIn(error);
  }
}

start();

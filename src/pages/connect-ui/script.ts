/**
 * The Connect UI's one script (docs/connect-ui.md), inlined under the response's CSP nonce. Plain
 * browser JavaScript, no framework and no build step: it reads the session token (from the URL,
 * or from the parent frame's `session_token` message), loads `GET /connect/session`, lists the
 * integrations, runs the OAuth popup or the credentials form, and reports to the parent frame in
 * today's Connect UI messages. Everything it writes into the page goes through `textContent`,
 * never markup, so no display name, description or server message can inject anything.
 */
export const CONNECT_UI_SCRIPT = `
"use strict";
(() => {
	const $ = (id) => document.getElementById(id);
	const framed = window.parent !== window;
	// The worker's own origin is the API: the page may call nothing else (CSP connect-src 'self').
	const api = location.origin;
	// Session tokens are opaque to the page; this only keeps junk out of a header and a URL.
	const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
	const POPUP_MODES = ["OAUTH2", "OAUTH1", "APP"];
	const CREDENTIALS = {
		API_KEY: [{ name: "apiKey", label: "API key", secret: true, autocomplete: "off" }],
		BASIC: [
			{ name: "username", label: "Username", secret: false, autocomplete: "username" },
			{ name: "password", label: "Password", secret: true, autocomplete: "current-password" },
		],
		OAUTH2_CC: [
			{ name: "client_id", label: "Client ID", secret: false, autocomplete: "off" },
			{ name: "client_secret", label: "Client secret", secret: true, autocomplete: "off" },
		],
	};
	const CREDENTIAL_ROUTES = { API_KEY: "/api-auth/api-key/", BASIC: "/api-auth/basic/", OAUTH2_CC: "/oauth2/auth/" };

	let token = null;
	let loading = 0;
	let integrations = [];
	let current = null;
	let popup = null;
	let busy = false;

	// targetOrigin "*": any app may embed this page and we cannot know its origin. The messages
	// carry only ids and error text, never the token or a credential.
	function post(message) {
		if (framed) window.parent.postMessage(message, "*");
	}

	function show(view) {
		for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== view;
		$(view).querySelector("h2").focus();
	}

	function fatal(errorType, errorMessage) {
		$("error-message").textContent = errorMessage;
		show("view-error");
		post({ type: "error", payload: { errorType, errorMessage } });
	}

	function errorOf(body, fallback) {
		const error = body && typeof body === "object" ? body.error : undefined;
		return {
			code: error && typeof error.code === "string" ? error.code : "unknown_error",
			message: error && typeof error.message === "string" ? error.message : fallback,
		};
	}

	async function readJson(response) {
		try {
			return await response.json();
		} catch {
			return null;
		}
	}

	async function load() {
		const attempt = ++loading;
		$("start-text").textContent = "Loading…";
		show("view-start");
		let response;
		try {
			response = await fetch(api + "/connect/session", {
				headers: { authorization: "Bearer " + token },
				credentials: "omit",
				cache: "no-store",
			});
		} catch {
			if (attempt === loading) fatal("unknown_error", "The server could not be reached. Try again later.");
			return;
		}
		const body = await readJson(response);
		if (attempt !== loading) return; // a newer token arrived meanwhile
		if (!response.ok) {
			const error = errorOf(body, "The session could not be loaded.");
			const message =
				error.code === "invalid_connect_session"
					? "This link has expired or was revoked. Ask the app for a new one."
					: error.message;
			return fatal(error.code, message);
		}
		integrations = (body && body.data && Array.isArray(body.data.integrations) ? body.data.integrations : []).filter(
			(integration) => POPUP_MODES.includes(integration.auth_mode) || integration.auth_mode in CREDENTIALS,
		);
		renderList();
	}

	function labelOf(integration) {
		const same = integrations.filter((other) => other.display_name === integration.display_name);
		return same.length > 1 ? integration.display_name + " (" + integration.unique_key + ")" : integration.display_name;
	}

	function renderList(notice) {
		const list = $("integrations");
		list.replaceChildren();
		for (const integration of integrations) {
			const item = document.createElement("li");
			const button = document.createElement("button");
			button.type = "button";
			button.textContent = labelOf(integration);
			button.addEventListener("click", () => choose(integration));
			item.append(button);
			list.append(item);
		}
		$("list-empty").hidden = integrations.length > 0;
		$("list-error").textContent = notice || "";
		show("view-list");
	}

	function choose(integration) {
		current = integration;
		const fields = Object.entries(integration.connection_config || {});
		if (POPUP_MODES.includes(integration.auth_mode) && fields.length === 0) return openPopup({});
		renderForm(integration, fields);
	}

	function renderForm(integration, fields) {
		$("form-heading").textContent = "Connect " + labelOf(integration);
		$("form-error").textContent = "";
		const container = $("fields");
		container.replaceChildren();
		for (const credential of CREDENTIALS[integration.auth_mode] || []) {
			container.append(field("credential-" + credential.name, credential.label, credential, true));
		}
		fields.forEach(([name, spec], index) => {
			const required = !(spec && typeof spec.default === "string");
			const label = (spec && spec.description) || name;
			const input = { name, secret: false, autocomplete: "off", pattern: spec && spec.pattern };
			container.append(field("param-" + index, label, input, required));
		});
		$("submit").textContent = POPUP_MODES.includes(integration.auth_mode) ? "Continue" : "Connect";
		show("view-form");
	}

	function field(id, label, spec, required) {
		const wrapper = document.createElement("div");
		wrapper.className = "field";
		const labelElement = document.createElement("label");
		labelElement.htmlFor = id;
		labelElement.textContent = label + (required ? "" : " (optional)");
		const input = document.createElement("input");
		input.id = id;
		input.type = spec.secret ? "password" : "text";
		input.autocomplete = spec.autocomplete;
		input.spellcheck = false;
		input.required = required;
		input.dataset.name = spec.name;
		input.dataset.kind = id.startsWith("credential-") ? "credential" : "param";
		if (spec.pattern) input.pattern = spec.pattern;
		const error = document.createElement("p");
		error.id = id + "-error";
		error.className = "field-error";
		input.setAttribute("aria-describedby", error.id);
		wrapper.append(labelElement, input, error);
		return wrapper;
	}

	// The browser's own constraint check, with messages written next to each field (and read out
	// through the form's live region) instead of tooltips.
	function validate() {
		let first = null;
		for (const input of $("fields").querySelectorAll("input")) {
			const error = $(input.id + "-error");
			let message = "";
			if (input.required && input.value.trim() === "") message = "This field is required.";
			else if (input.value !== "" && !matches(input)) message = "This value does not have the expected format.";
			error.textContent = message;
			input.setAttribute("aria-invalid", message ? "true" : "false");
			if (message && !first) first = input;
		}
		if (first) {
			$("form-error").textContent = "Some fields need your attention.";
			first.focus();
		}
		return !first;
	}

	// Template patterns are JavaScript regular expressions; the input's pattern attribute is
	// compiled with the v flag, which refuses some of them, so they are also checked here.
	function matches(input) {
		if (!input.pattern) return true;
		try {
			return new RegExp("^(?:" + input.pattern + ")$").test(input.value);
		} catch {
			return true; // the server checks every value again
		}
	}

	function collect() {
		const params = new URLSearchParams({ connect_session_token: token });
		const credentials = {};
		for (const input of $("fields").querySelectorAll("input")) {
			if (input.dataset.kind === "credential") credentials[input.dataset.name] = input.value;
			else if (input.value !== "") params.append("params[" + input.dataset.name + "]", input.value.trim());
		}
		return { params, credentials };
	}

	function openPopup(extra) {
		const params = extra instanceof URLSearchParams ? extra : new URLSearchParams({ connect_session_token: token });
		const url = api + "/oauth/connect/" + encodeURIComponent(current.unique_key) + "?" + params;
		popup = window.open(url, "nango-connect", "popup,width=520,height=680");
		if (!popup) {
			const message = "The browser blocked the sign-in window. Allow pop-ups for this page and try again.";
			post({ type: "error", payload: { errorType: "blocked_by_browser", errorMessage: message } });
			return renderList(message);
		}
		$("wait-text").textContent = "Sign in to " + labelOf(current) + " in the window that opened, then come back here.";
		show("view-wait");
	}

	function fromPopup(event) {
		const data = event.data;
		if (event.origin !== location.origin || !data || typeof data !== "object" || !data.data) return;
		if (data.eventType === "AUTHORIZATION_SUCEEDED") {
			popup = null;
			return connected(String(data.data.providerConfigKey), String(data.data.connectionId));
		}
		if (data.eventType === "AUTHORIZATION_FAILED") {
			popup = null;
			const error = data.data.error || {};
			const errorType = typeof error.type === "string" ? error.type : "unknown_error";
			const errorMessage = typeof error.message === "string" ? error.message : "The authorization failed.";
			post({ type: "error", payload: { errorType, errorMessage } });
			renderList("Connecting " + labelOf(current) + " failed: " + errorMessage);
		}
	}

	async function submitCredentials(params, credentials) {
		busy = true;
		$("submit").disabled = true;
		$("form-error").textContent = "Checking…";
		const url = api + CREDENTIAL_ROUTES[current.auth_mode] + encodeURIComponent(current.unique_key) + "?" + params;
		let response;
		try {
			response = await fetch(url, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify(credentials),
				credentials: "omit",
				cache: "no-store",
			});
		} catch {
			response = null;
		}
		const body = response ? await readJson(response) : null;
		busy = false;
		$("submit").disabled = false;
		if (response && response.ok && body && typeof body.connectionId === "string") {
			return connected(String(body.providerConfigKey || current.unique_key), body.connectionId);
		}
		const error = response
			? errorOf(body, "The credentials could not be saved.")
			: { code: "unknown_error", message: "The server could not be reached. Try again later." };
		$("form-error").textContent =
			error.code === "connection_test_failed"
				? current.display_name + " refused these credentials. Check them and try again."
				: error.message;
		post({ type: "error", payload: { errorType: error.code, errorMessage: error.message } });
	}

	function connected(providerConfigKey, connectionId) {
		$("done-text").textContent = "Your " + labelOf(current) + " account is connected.";
		show("view-done");
		post({ type: "connect", payload: { providerConfigKey, connectionId } });
	}

	function close() {
		post({ type: "close" });
		if (!framed) {
			window.close(); // only works when a script opened this tab
			$("start-text").textContent = "You can close this tab now.";
			show("view-start");
		}
	}

	$("form").addEventListener("submit", (event) => {
		event.preventDefault();
		if (busy || !current || !validate()) return;
		$("form-error").textContent = "";
		const { params, credentials } = collect();
		if (POPUP_MODES.includes(current.auth_mode)) openPopup(params);
		else void submitCredentials(params, credentials);
	});
	$("back").addEventListener("click", () => renderList());
	$("cancel").addEventListener("click", () => {
		if (popup && !popup.closed) popup.close();
		popup = null;
		renderList();
	});
	for (const id of ["close", "done"]) $(id).addEventListener("click", close);

	window.addEventListener("message", (event) => {
		if (popup && event.source === popup) return fromPopup(event);
		// Only the parent frame may hand over a token, and only a token: nothing else it sends counts.
		if (!framed || event.source !== window.parent) return;
		const data = event.data;
		if (!data || typeof data !== "object" || data.type !== "session_token") return;
		if (typeof data.sessionToken !== "string" || !TOKEN.test(data.sessionToken) || data.sessionToken === token) return;
		token = data.sessionToken;
		void load();
	});

	const fromUrl = new URLSearchParams(location.search).get("session_token");
	if (fromUrl !== null && TOKEN.test(fromUrl)) {
		token = fromUrl;
		void load();
	} else if (framed) {
		$("start-text").textContent = "Waiting for the app…";
	} else {
		fatal("missing_connect_session_token", "This page needs a connect link from the app. Ask the app for a new one.");
	}
	post({ type: "ready" });
})();
`;

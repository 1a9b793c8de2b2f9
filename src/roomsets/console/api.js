// The console's only way to the server: same origin, the key in X-API-Key, problem+json read into words.

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem;
  }

  // The field errors worth listing under the message (a single one the detail already says is left out).
  get fieldErrors() {
    const errors = Array.isArray(this.problem?.errors) ? this.problem.errors : [];
    const lines = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : String(e.message)));
    return lines.length === 1 && lines[0] === this.message ? [] : lines;
  }
}

async function problemOf(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }
  return null;
}

function messageFor(status, statusText, problem) {
  if (problem && typeof problem.detail === "string" && problem.detail) return problem.detail;
  if (problem && typeof problem.title === "string" && problem.title) return problem.title;
  return `The server answered ${status}${statusText ? ` ${statusText}` : ""}.`;
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  // Resolves to {data, headers, status}; rejects with ApiError (status 0 when the server was not reached).
  async request(method, path, { query, body, headers } = {}) {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const init = {
      method,
      headers: { Accept: "application/json", "X-API-Key": this.key, ...headers },
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, null, "The server could not be reached. Check the connection and try again.");
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      throw new ApiError(response.status, problem, messageFor(response.status, response.statusText, problem));
    }
    const data = response.status === 204 ? null : await response.json();
    return { data, headers: response.headers, status: response.status };
  }

  get(path, query) {
    return this.request("GET", path, { query });
  }

  post(path, body, options = {}) {
    return this.request("POST", path, { body, ...options });
  }

  delete(path) {
    return this.request("DELETE", path);
  }
}

export function totalOf(headers, fallback) {
  const total = Number.parseInt(headers.get("X-Total-Count") || "", 10);
  return Number.isFinite(total) ? total : fallback;
}

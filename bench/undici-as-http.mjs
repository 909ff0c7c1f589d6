// node:http's request(), as much of it as bench/floor.cjs uses, on undici loaded the way twauth's
// transport loads it (src/api/http-transport.ts): its Agent and request API only, and on Node 20
// the same V8 setting for its WebAssembly parser (src/cli/prefer-baseline-wasm.ts).
import { preferBaselineWasm } from '../src/cli/prefer-baseline-wasm.ts';

export function request(url, options, onResponse) {
  const listeners = {};
  return {
    on(event, listener) {
      listeners[event] = listener;
      return this;
    },
    end() {
      Promise.all([import('undici/lib/dispatcher/agent.js'), import('undici/lib/api/api-request.js')])
        .then(async ([agent, api]) => {
          await preferBaselineWasm();
          const dispatcher = new agent.default({ connections: 4 });
          const res = await api.default.call(dispatcher, {
            method: 'GET',
            origin: url.origin,
            path: url.pathname + url.search,
            headers: options.headers,
          });
          // undici's body is a Readable: setEncoding, 'data' and 'end' as floor.cjs uses them.
          onResponse(Object.assign(res.body, { statusCode: res.statusCode }));
        })
        .catch((err) => listeners.error?.(err));
    },
  };
}

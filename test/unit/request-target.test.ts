import { describe, expect, it } from 'vitest';
import { checkRequestOrigin, RequestTargetError, resolveUrl } from '../../src/api/request-target.js';

describe('resolveUrl', () => {
  const base = 'https://api.x.com';
  it('takes X paths with or without a leading slash, version segments included', () => {
    expect(resolveUrl(base, '2/users/me').href).toBe('https://api.x.com/2/users/me');
    expect(resolveUrl(base, '1.1/statuses/update.json').href).toBe('https://api.x.com/1.1/statuses/update.json');
    expect(resolveUrl(base, '/oauth/request_token').href).toBe('https://api.x.com/oauth/request_token');
    expect(resolveUrl(`${base}/prefix/`, 'users.json').href).toBe('https://api.x.com/prefix/users.json');
  });
  it.each([
    'api.x.com/2/users/me',
    'api.x.com',
    'localhost:8080/2/users/me',
    '127.0.0.1/2/users/me',
    '//api.x.com/2/users/me',
    'API.X.COM/2/tweets?x=1',
  ])('refuses the scheme-less URL %s', (p) => {
    expect(() => resolveUrl(base, p)).toThrow(RequestTargetError);
  });
});

describe('checkRequestOrigin', () => {
  const base = 'https://api.x.com';
  it('accepts the origin of the API base, and another one only when allowed', () => {
    expect(() => checkRequestOrigin(base, new URL('https://api.x.com/2/users/me'))).not.toThrow();
    expect(() => checkRequestOrigin(base, new URL('https://api.x.com:443/2/users/me'))).not.toThrow();
    expect(() => checkRequestOrigin(base, new URL('https://upload.x.com/2/media'))).toThrow(
      /--allow-host upload\.x\.com/,
    );
    expect(() => checkRequestOrigin(base, new URL('https://api.x.com:8443/2'))).toThrow(RequestTargetError);
    expect(() => checkRequestOrigin(base, new URL('https://upload.x.com/2/media'), ['upload.x.com'])).not.toThrow();
    expect(() => checkRequestOrigin(base, new URL('http://127.0.0.1:9/x'), ['127.0.0.1:9'])).not.toThrow();
    expect(() => checkRequestOrigin(base, new URL('http://127.0.0.1:9/x'), ['127.0.0.1:10'])).toThrow(
      RequestTargetError,
    );
  });
  it('never allows http: to a non-loopback host', () => {
    expect(() => checkRequestOrigin(base, new URL('http://api.x.com/2/users/me'), ['api.x.com'])).toThrow(
      /plain http:/,
    );
    expect(() => checkRequestOrigin(base, new URL('http://10.0.0.1/'), ['10.0.0.1'])).toThrow(/plain http:/);
  });
});

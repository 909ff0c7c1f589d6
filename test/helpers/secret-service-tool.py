#!/usr/bin/python3
# Talks to the Secret Service on the bus named by DBUS_SESSION_BUS_ADDRESS, for test helpers
# (test/helpers/secret-service.ts). Needs Debian's python3-dbus, so run it with /usr/bin/python3
# (a pyenv python3 first on PATH does not have it).
#
#   items SERVICE      print JSON [{"account", "secret"}] of the items whose attribute
#                      service=SERVICE; exit 3 if any of them is locked
#   lock               lock the default collection (no prompt in gnome-keyring)
#   unlock PASSWORD    unlock the default collection with its password, without a prompter
#   hang NAME          own NAME on the bus and never answer a call; print "ready" once owned,
#                      exit when stdin closes (so it dies with whoever started it)
#   raw SERVICE        print JSON [{"label", "attributes", "content_type", "secret"}] of the items
#                      whose attribute service=SERVICE (every attribute, as stored)
#   store-like-keytar-7.9 SERVICE ACCOUNT
#                      store the secret read from stdin in the default collection exactly as
#                      keytar 7.9's setPassword does on Linux: libsecret's secret_password_store
#                      with keytar's schema "org.freedesktop.Secret.Generic" (attributes service,
#                      account, and libsecret's xdg:schema), label "SERVICE/ACCOUNT", text/plain
import json
import os
import sys

import dbus

BUS_NAME = 'org.freedesktop.secrets'
SERVICE_PATH = '/org/freedesktop/secrets'


def connect():
    return dbus.bus.BusConnection(os.environ['DBUS_SESSION_BUS_ADDRESS'])


def service(bus):
    obj = bus.get_object(BUS_NAME, SERVICE_PATH)
    return obj, dbus.Interface(obj, 'org.freedesktop.Secret.Service')


def unlocked_secrets(name):
    """The bus, the unlocked items of service `name` and their secrets; exit 3 if any is locked."""
    bus = connect()
    _, svc = service(bus)
    unlocked, locked = svc.SearchItems({'service': name})
    if locked:
        sys.stderr.write('%d item(s) for service %s are locked\n' % (len(locked), name))
        sys.exit(3)
    _, session = svc.OpenSession('plain', dbus.String('', variant_level=1))
    secrets = svc.GetSecrets(unlocked, session) if unlocked else {}
    return bus, unlocked, secrets


def items(name):
    bus, unlocked, secrets = unlocked_secrets(name)
    out = []
    for path in unlocked:
        item = bus.get_object(BUS_NAME, path)
        attrs = item.Get('org.freedesktop.Secret.Item', 'Attributes',
                         dbus_interface='org.freedesktop.DBus.Properties')
        value = bytes(secrets[path][2]).decode('utf-8')
        out.append({'account': str(attrs.get('account', '')), 'secret': value})
    out.sort(key=lambda i: i['account'])
    print(json.dumps(out))


def raw(name):
    bus, unlocked, secrets = unlocked_secrets(name)
    out = []
    for path in unlocked:
        item = bus.get_object(BUS_NAME, path)
        props = item.GetAll('org.freedesktop.Secret.Item', dbus_interface='org.freedesktop.DBus.Properties')
        out.append({
            'label': str(props['Label']),
            'attributes': {str(k): str(v) for k, v in props['Attributes'].items()},
            'content_type': str(secrets[path][3]),
            'secret': bytes(secrets[path][2]).decode('utf-8'),
        })
    out.sort(key=lambda i: i['label'])
    print(json.dumps(out, sort_keys=True))


def store_like_keytar_79(name, account, secret):
    bus = connect()
    _, svc = service(bus)
    collection = bus.get_object(BUS_NAME, svc.ReadAlias('default'))
    _, session = svc.OpenSession('plain', dbus.String('', variant_level=1))
    props = {
        'org.freedesktop.Secret.Item.Label': dbus.String('%s/%s' % (name, account)),
        'org.freedesktop.Secret.Item.Attributes': dbus.Dictionary(
            {'service': name, 'account': account, 'xdg:schema': 'org.freedesktop.Secret.Generic'},
            signature='ss'),
    }
    value = dbus.Struct((session, dbus.ByteArray(b''), dbus.ByteArray(secret.encode('utf-8')),
                         'text/plain'), signature='oayays')
    dbus.Interface(collection, 'org.freedesktop.Secret.Collection').CreateItem(props, value, True)


def lock():
    bus = connect()
    _, svc = service(bus)
    collection = svc.ReadAlias('default')
    locked, prompt = svc.Lock([collection])
    if collection not in locked:
        sys.stderr.write('Lock(%s) did not lock it (prompt %s)\n' % (collection, prompt))
        sys.exit(1)


def unlock(password):
    bus = connect()
    obj, svc = service(bus)
    collection = svc.ReadAlias('default')
    _, session = svc.OpenSession('plain', dbus.String('', variant_level=1))
    internal = dbus.Interface(obj, 'org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface')
    secret = dbus.Struct((session, dbus.ByteArray(b''), dbus.ByteArray(password.encode('utf-8')),
                          'text/plain'), signature='oayays')
    internal.UnlockWithMasterPassword(collection, secret)


def hang(name):
    bus = connect()
    # No main loop: calls to NAME are queued in this process and never dispatched or answered.
    result = bus.request_name(name, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    if result != dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER:
        sys.stderr.write('could not own %s (reply %d)\n' % (name, result))
        sys.exit(1)
    sys.stdout.write('ready\n')
    sys.stdout.flush()
    sys.stdin.read()


def main(argv):
    if len(argv) >= 2 and argv[0] == 'items':
        items(argv[1])
    elif len(argv) == 2 and argv[0] == 'raw':
        raw(argv[1])
    elif len(argv) == 3 and argv[0] == 'store-like-keytar-7.9':
        store_like_keytar_79(argv[1], argv[2], sys.stdin.read())
    elif argv == ['lock']:
        lock()
    elif len(argv) == 2 and argv[0] == 'unlock':
        unlock(argv[1])
    elif len(argv) == 2 and argv[0] == 'hang':
        hang(argv[1])
    else:
        sys.stderr.write('usage: secret-service-tool.py items SERVICE | raw SERVICE | store-like-keytar-7.9 SERVICE ACCOUNT | lock | unlock PASSWORD | hang NAME\n')
        sys.exit(2)


if __name__ == '__main__':
    main(sys.argv[1:])

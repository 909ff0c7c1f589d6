# Peer for `twauth whoami`: tweepy (Debian's python3-tweepy 4.12), Client.get_me(user_auth=True),
# with the credentials `twauth token --env` prints. Prints the username.
#
# tweepy 4.12 hard-codes the host ("https://api.twitter.com") in a local variable of
# BaseClient.request, so the only seam is the requests.Session it sends through: this one rewrites
# that prefix to TWAUTH_API_BASE before the request is prepared, so the OAuth 1.0a signature
# (computed by requests-oauthlib while preparing) covers the emulator's URL. bench/run.sh checks
# that the emulator's request count goes up by one for each run of this script.
import os
import sys

import requests
import tweepy

TWITTER_HOST = "https://api.twitter.com"
api_base = os.environ["TWAUTH_API_BASE"].rstrip("/")


class EmulatorSession(requests.Session):
    def request(self, method, url, *args, **kwargs):
        if not url.startswith(TWITTER_HOST + "/"):
            raise RuntimeError(f"peer-tweepy.py: unexpected URL {url}")
        return super().request(method, api_base + url[len(TWITTER_HOST):], *args, **kwargs)


client = tweepy.Client(
    consumer_key=os.environ["TWAUTH_CONSUMER_KEY"],
    consumer_secret=os.environ["TWAUTH_CONSUMER_SECRET"],
    access_token=os.environ["TWAUTH_ACCESS_TOKEN"],
    access_token_secret=os.environ["TWAUTH_ACCESS_TOKEN_SECRET"],
)
client.session = EmulatorSession()
me = client.get_me(user_auth=True)
if me.data is None:
    sys.exit(f"peer-tweepy.py: no data: {me.errors}")
print(me.data.username)

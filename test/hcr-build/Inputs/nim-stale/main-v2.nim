# v2: helper is no longer imported; its C stays in the nimcache.
echo "v2: no helper"

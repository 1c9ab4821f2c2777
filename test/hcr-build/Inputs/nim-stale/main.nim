# v1: imports helper.
import helper
echo "v1: ", greeting("stale")

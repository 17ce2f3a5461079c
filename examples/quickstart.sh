# Start a session
aimax create -b tmux-claude-code -s demo --cwd "$PWD" \
    -p 'Make a hello.py that prints hi.'

# Add a follow-up: it won't interrupt the current turn
aimax send -s demo -p 'Also add a README.'

# Quick health check, and everything that runs
aimax status -s demo
aimax list

# History as JSON; resume the live tail exactly after it (Ctrl-C stops it)
SENTINEL=$(aimax history -s demo --json |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).sentinel')
timeout 3 aimax stream -s demo --from-sentinel "$SENTINEL" || true

# Clean up
aimax stop -s demo

/**
 * `twauth completion --help`: steps that work on a stock system, one shell each. bash-completion
 * (the package) loads ~/.local/share/bash-completion/completions/<command> on first use; without
 * it, ~/.bashrc sources the script (complete and compgen are bash builtins). zsh reads _twauth
 * from a folder on fpath once compinit runs. fish loads ~/.config/fish/completions/twauth.fish.
 * Kept within 80 columns.
 */
export const COMPLETION_HELP = `
Install (then open a new shell):

  bash, with the bash-completion package (Debian: apt install bash-completion):
    mkdir -p ~/.local/share/bash-completion/completions
    twauth completion bash > ~/.local/share/bash-completion/completions/twauth

  bash, without it:
    echo 'source <(twauth completion bash)' >> ~/.bashrc

  zsh:
    mkdir -p ~/.zfunc
    twauth completion zsh > ~/.zfunc/_twauth
    and in ~/.zshrc, once, before any other compinit:
      fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit

  fish:
    mkdir -p ~/.config/fish/completions
    twauth completion fish > ~/.config/fish/completions/twauth.fish

Account names (switch, --account) are read when you press Tab, from the
stored accounts' metadata: no keychain, no network.
`;

//! `imagekit`: the ImageKit.io API from the shell.

mod api_cmd;

fn main() {
    // Wiring of the subcommands lands with the CLI issue's first commit.
    let _ = api_cmd::METHODS;
}

//! The `imagekit-emulator` binary (TODO(emulator): flags being written).

#[tokio::main]
async fn main() {
    let emulator = imagekit_emulator::Emulator::builder().start().await.expect("start");
    println!("listening on {}", emulator.base_url());
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;
}

use super::*;

/// An ISO BMFF file (`ftyp`, `moov/mvhd` version 0 or 1, `mdat`) of `seconds` at `timescale`.
pub(crate) fn mp4(timescale: u32, duration: u64, v1: bool) -> Vec<u8> {
    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }
    let mut mvhd = vec![u8::from(v1), 0, 0, 0];
    if v1 {
        mvhd.extend_from_slice(&[0; 16]);
        mvhd.extend_from_slice(&timescale.to_be_bytes());
        mvhd.extend_from_slice(&duration.to_be_bytes());
    } else {
        mvhd.extend_from_slice(&[0; 8]);
        mvhd.extend_from_slice(&timescale.to_be_bytes());
        mvhd.extend_from_slice(&(duration as u32).to_be_bytes());
    }
    mvhd.extend_from_slice(&[0; 80]);
    let mut out = bx(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
    out.extend(bx(b"moov", &[bx(b"iods", &[0; 8]), bx(b"mvhd", &mvhd)].concat()));
    out.extend(bx(b"mdat", &[0; 64]));
    out
}

/// A PCM WAVE file: `seconds` of 8 kHz mono 16-bit silence.
pub(crate) fn wav(seconds: f64) -> Vec<u8> {
    let data = vec![0u8; (seconds * 16_000.0) as usize];
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((36 + data.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&[1, 0, 1, 0]); // PCM, mono
    out.extend_from_slice(&8_000u32.to_le_bytes());
    out.extend_from_slice(&16_000u32.to_le_bytes()); // byte rate
    out.extend_from_slice(&[2, 0, 16, 0]);
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend(data);
    out
}

#[test]
fn mp4_and_mov() {
    assert_eq!(duration_secs(&mp4(1000, 12_500, false)), Some(12.5));
    assert_eq!(duration_secs(&mp4(90_000, 90_000 * 3, true)), Some(3.0));
    assert_eq!(duration_secs(&mp4(1000, u64::from(u32::MAX), false)), None, "unknown duration");
    assert_eq!(duration_secs(&mp4(0, 5, false)), None);
    // Cut anywhere: no panic, and no duration once `mvhd` is gone.
    let whole = mp4(600, 6000, false);
    for n in 0..whole.len() {
        let _ = duration_secs(&whole[..n]);
    }
}

#[test]
fn wave_files() {
    assert_eq!(duration_secs(&wav(2.5)), Some(2.5));
    assert_eq!(duration_secs(&wav(0.0)), None);
}

#[test]
fn webm_info_duration() {
    // EBML header, Segment (unknown size), Info { TimecodeScale 1 ms, Duration 4321.0 f64 }.
    let mut b = vec![0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x86, 0x81, 0x01];
    b.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    let mut info = vec![0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40];
    info.extend_from_slice(&[0x44, 0x89, 0x88]);
    info.extend_from_slice(&4321.0f64.to_be_bytes());
    b.extend_from_slice(&[0x15, 0x49, 0xA9, 0x66, 0x80 | info.len() as u8]);
    b.extend(info);
    b.extend_from_slice(&[0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    assert_eq!(duration_secs(&b), Some(4.321));
}

#[test]
fn flac_streaminfo() {
    let mut b = b"fLaC".to_vec();
    b.extend_from_slice(&[0x80, 0, 0, 34]);
    let mut info = [0u8; 34];
    // 44100 Hz (20 bits), 2 channels, 16 bits, 88200 samples (36 bits).
    info[10] = 0x0A;
    info[11] = 0xC4;
    info[12] = 0x42;
    info[13] = 0xF0;
    info[14..18].copy_from_slice(&88_200u32.to_be_bytes());
    b.extend_from_slice(&info);
    assert_eq!(duration_secs(&b), Some(2.0));
}

#[test]
fn ogg_opus_last_granule() {
    fn page(serial: u32, granule: u64, packet: &[u8]) -> Vec<u8> {
        let mut p = b"OggS\0\0".to_vec();
        p.extend_from_slice(&granule.to_le_bytes());
        p.extend_from_slice(&serial.to_le_bytes());
        p.extend_from_slice(&[0; 8]);
        p.push(1);
        p.push(packet.len() as u8);
        p.extend_from_slice(packet);
        p
    }
    let mut head = b"OpusHead\x01\x02".to_vec();
    head.extend_from_slice(&312u16.to_le_bytes());
    head.extend_from_slice(&48_000u32.to_le_bytes());
    let mut b = page(7, 0, &head);
    b.extend(page(7, 48_000, &[1, 2, 3]));
    b.extend(page(9, 999_999, &[0]));
    b.extend(page(7, 96_312, &[4, 5]));
    assert_eq!(duration_secs(&b), Some(2.0));
}

/// `n` MPEG-1 layer III frames, 128 kbps, 44.1 kHz, stereo; the first one
/// carries a Xing header with `xing_frames` when given.
fn mp3_frames(n: usize, xing_frames: Option<u32>) -> Vec<u8> {
    let len = 144 * 128_000 / 44_100; // 417, no padding
    let mut out = b"ID3\x03\0\0\0\0\0\x0A".to_vec();
    out.extend_from_slice(&[0; 10]);
    for i in 0..n {
        let mut f = vec![0u8; len];
        f[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        if let (0, Some(frames)) = (i, xing_frames) {
            f[36..40].copy_from_slice(b"Xing");
            f[40..44].copy_from_slice(&1u32.to_be_bytes());
            f[44..48].copy_from_slice(&frames.to_be_bytes());
        }
        out.extend(f);
    }
    out
}

#[test]
fn mp3_by_xing_or_bit_rate() {
    let d = duration_secs(&mp3_frames(3, Some(1000))).unwrap();
    assert!((d - 1000.0 * 1152.0 / 44_100.0).abs() < 1e-9, "{d}");
    let d = duration_secs(&mp3_frames(100, None)).unwrap();
    assert!((d - 100.0 * 417.0 * 8.0 / 128_000.0).abs() < 1e-9, "{d}");
    // A sync pattern followed by junk is not MP3.
    let mut junk = vec![0xFF, 0xFB, 0x90, 0x00];
    junk.extend(vec![0x11; 1000]);
    assert_eq!(duration_secs(&junk), None);
}

#[test]
fn adts_and_avi() {
    // Two ADTS frames at 44.1 kHz (index 4), 10 bytes each.
    let frame = [0xFF, 0xF1, 0x50, 0x80, 0x01, 0x40, 0xFC, 0, 0, 0];
    let b = [frame, frame].concat();
    assert_eq!(duration_secs(&b), Some(2.0 * 1024.0 / 44_100.0));

    let mut avih = 40_000u32.to_le_bytes().to_vec(); // 25 fps
    avih.extend_from_slice(&[0; 12]);
    avih.extend_from_slice(&250u32.to_le_bytes());
    avih.extend_from_slice(&[0; 36]);
    let mut hdrl = b"hdrlavih".to_vec();
    hdrl.extend_from_slice(&(avih.len() as u32).to_le_bytes());
    hdrl.extend(avih);
    let mut b = b"RIFF\0\0\0\0AVI LIST".to_vec();
    b.extend_from_slice(&(hdrl.len() as u32).to_le_bytes());
    b.extend(hdrl);
    assert_eq!(duration_secs(&b), Some(10.0));
}

#[test]
fn other_bytes_have_no_duration() {
    for b in [&b""[..], b"hello world", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBPVP8 ", b"OggS"] {
        assert_eq!(duration_secs(b), None);
    }
}

/// A large MP4 whose `moov` comes after its `mdat` is read by seeking, not
/// whole; a header-first container is read from its head.
#[test]
fn duration_of_a_file_reads_a_bounded_window() {
    fn bx(kind: &[u8; 4], len: u32) -> Vec<u8> {
        let mut v = len.to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v
    }
    let dir = std::env::temp_dir().join(format!("ik-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("moov-last.mp4");
    let small = mp4(1000, 90_500, false); // ftyp, moov, mdat: 90.5 s
    let ftyp_len = u32::from_be_bytes(small[0..4].try_into().unwrap()) as usize;
    let moov_len = u32::from_be_bytes(small[ftyp_len..ftyp_len + 4].try_into().unwrap()) as usize;
    let (ftyp, moov) = (&small[..ftyp_len], &small[ftyp_len..ftyp_len + moov_len]);
    let mdat_payload = 3 * 1024 * 1024;
    let mut file = ftyp.to_vec();
    file.extend(bx(b"mdat", (mdat_payload + 8) as u32));
    file.extend(std::iter::repeat_n(0u8, mdat_payload));
    file.extend_from_slice(moov);
    std::fs::write(&path, &file).unwrap();
    // A 1 MiB window is far less than the file, yet the duration is found.
    assert_eq!(duration_of_file(&path, 1024 * 1024).unwrap(), Some(90.5));
    // A truncated file (moov cut off) has none, and does not fail.
    std::fs::write(&path, &file[..file.len() - 10]).unwrap();
    assert_eq!(duration_of_file(&path, 1024 * 1024).unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! Usage reports. Nothing is metered here: every figure is zero.

use imagekit_types::{Usage, UsageAnalytics};

use crate::dates::parse_iso_millis;
use crate::state::State;
use crate::web::{ApiError, ApiResult, Req, Resp};

const DAY: i64 = 86_400_000;

/// `startDate` and `endDate` as `YYYY-MM-DD`, in milliseconds.
fn dates(req: &Req) -> Result<(String, i64, String, i64), ApiError> {
    let one = |name: &str| -> Result<(String, i64), ApiError> {
        let raw = req.query(name).map(str::trim).filter(|s| !s.is_empty());
        let raw = raw.ok_or_else(|| ApiError::bad_request(format!("Missing query parameter {name} (YYYY-MM-DD).")))?;
        let millis = Some(raw).filter(|s| s.len() == 10).and_then(parse_iso_millis).ok_or_else(|| {
            ApiError::bad_request(format!("Invalid {name} `{raw}`: a date as YYYY-MM-DD is required."))
        })?;
        Ok((raw.to_owned(), millis))
    };
    let (start, s) = one("startDate")?;
    let (end, e) = one("endDate")?;
    Ok((start, s, end, e))
}

/// `GET /v1/accounts/usage?startDate&endDate`: start inclusive, end
/// exclusive, so start must be before end, and the window under 90 days.
/// Every figure is 0.
pub fn usage(_state: &State, req: &Req) -> ApiResult {
    let (_, s, _, e) = dates(req)?;
    if s >= e {
        return Err(ApiError::bad_request("startDate must be before endDate."));
    }
    if e - s >= 90 * DAY {
        return Err(ApiError::bad_request("The date range must be less than 90 days."));
    }
    let mut usage = Usage::default();
    usage.bandwidth_bytes = Some(0);
    usage.media_library_storage_bytes = Some(0);
    usage.original_cache_storage_bytes = Some(0);
    usage.video_processing_units_count = Some(0);
    usage.extension_units_count = Some(0);
    Ok(Resp::ok(&usage))
}

/// `GET /v1/accounts/usage-analytics?startDate&endDate`: both dates
/// inclusive (start not after end). Zero counts and empty breakdowns, with the
/// dates given and `generatedAt` now.
pub fn usage_analytics(_state: &State, req: &Req) -> ApiResult {
    let (start, s, end, e) = dates(req)?;
    if s > e {
        return Err(ApiError::bad_request("startDate must not be after endDate."));
    }
    let mut analytics = UsageAnalytics::default();
    analytics.start_date = start;
    analytics.end_date = end;
    analytics.generated_at = crate::util::now_iso();
    Ok(Resp::ok(&analytics))
}

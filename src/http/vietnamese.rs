//! The Vietnamese wording of problem details, for `Accept-Language: vi`: the
//! reason phrase of each status, and of each `detail` and `errors[].message`
//! the service writes.
//!
//! Most messages carry a variable part (an id, a slug, a limit, a list of
//! names), so the catalogue holds templates, not texts: `{}` in an English
//! template stands for a part that is carried over as sent, and the
//! Vietnamese template has as many `{}` (or `{0}`, `{1}`, … where Vietnamese
//! word order needs the parts in another order). A message built around
//! another one (`each tag must be 1 to 50 characters, …`) names the inner
//! one `{*}`, which is itself translated (the template does not match when
//! the catalogue has no Vietnamese for it), or `{?}`, translated when the
//! catalogue has it and carried over as sent otherwise. Field names,
//! document numbers, values quoted from the request and problem types stay
//! as they are.

use std::sync::OnceLock;

/// (status, reason phrase as `StatusCode::canonical_reason` gives it,
/// Vietnamese). The English phrase is also the `detail` of a framework
/// error that came without one.
const REASONS: &[(u16, &str, &str)] = &[
    (400, "Bad Request", "Yêu cầu không hợp lệ"),
    (401, "Unauthorized", "Chưa xác thực"),
    (403, "Forbidden", "Không có quyền truy cập"),
    (404, "Not Found", "Không tìm thấy"),
    (405, "Method Not Allowed", "Phương thức không được hỗ trợ"),
    (406, "Not Acceptable", "Không thể đáp ứng định dạng yêu cầu"),
    (408, "Request Timeout", "Hết thời gian chờ yêu cầu"),
    (409, "Conflict", "Xung đột dữ liệu"),
    (410, "Gone", "Không còn tồn tại"),
    (411, "Length Required", "Thiếu độ dài nội dung"),
    (
        412,
        "Precondition Failed",
        "Điều kiện tiên quyết không được thỏa mãn",
    ),
    (413, "Payload Too Large", "Nội dung yêu cầu quá lớn"),
    (414, "URI Too Long", "Địa chỉ URI quá dài"),
    (
        415,
        "Unsupported Media Type",
        "Kiểu nội dung không được hỗ trợ",
    ),
    (416, "Range Not Satisfiable", "Phạm vi yêu cầu không hợp lệ"),
    (
        417,
        "Expectation Failed",
        "Không đáp ứng được yêu cầu Expect",
    ),
    (422, "Unprocessable Entity", "Dữ liệu không hợp lệ"),
    (429, "Too Many Requests", "Quá nhiều yêu cầu"),
    (
        431,
        "Request Header Fields Too Large",
        "Trường tiêu đề yêu cầu quá lớn",
    ),
    (500, "Internal Server Error", "Lỗi máy chủ nội bộ"),
    (501, "Not Implemented", "Chức năng chưa được hỗ trợ"),
    (502, "Bad Gateway", "Lỗi cổng kết nối"),
    (
        503,
        "Service Unavailable",
        "Dịch vụ tạm thời không khả dụng",
    ),
    (504, "Gateway Timeout", "Hết thời gian chờ cổng kết nối"),
    (
        505,
        "HTTP Version Not Supported",
        "Phiên bản HTTP không được hỗ trợ",
    ),
    (507, "Insufficient Storage", "Không đủ dung lượng lưu trữ"),
];

/// (English template, Vietnamese template); the first that matches wins, so
/// a specific template comes before a general one of the same opening.
///
/// Gathered by reading every call site that writes a `detail` or an
/// `errors[].message`, in: src/error.rs, src/http/extractors.rs, src/http/fallback.rs,
/// src/http/wording.rs, src/http/pagination.rs, src/http/fields.rs,
/// src/http/preconditions.rs, src/http/query.rs, src/http/json.rs,
/// src/http/body_timeout.rs, src/text/mod.rs, src/text/slug.rs, src/support/timestamps.rs,
/// src/limits/mod.rs, src/readers/voters.rs, src/openapi.rs (the examples it shows),
/// src/auth/principal.rs, src/auth/routes.rs, src/auth/sessions.rs,
/// src/users/writes.rs, src/identity/email.rs, src/identity/password.rs,
/// src/identity/display_name.rs, src/users/requests.rs, src/users/routes.rs,
/// src/api_keys/routes.rs, src/areas/mod.rs, src/areas/routes.rs,
/// src/categories/mod.rs, src/categories/routes.rs, src/categories/writes.rs,
/// src/articles/params.rs, src/articles/key.rs, src/articles/content.rs,
/// src/articles/writes.rs, src/articles/routes.rs, src/articles/list_routes.rs,
/// src/articles/requests.rs, src/articles/changes.rs,
/// src/comments/mod.rs, src/comments/content.rs, src/comments/routes.rs, src/comments/writes.rs,
/// src/ratings/mod.rs, src/ratings/routes.rs, src/documents/number.rs,
/// src/documents/writes.rs, src/documents/routes.rs,
/// src/documents/attachments/mod.rs, src/documents/attachments/routes.rs,
/// src/webhooks/destination.rs, src/webhooks/routes.rs, src/legacy/routes.rs,
/// src/articles/translations.rs, src/feeds/routes.rs, src/sitemaps/routes.rs, src/text/lang.rs, src/static_pages/routes.rs,
/// src/static_pages/writes.rs, src/media/form.rs, src/media/routes.rs, the `writes.rs`
/// of api_keys, areas, ratings, webhooks, media and attachments,
/// src/webhooks/requests.rs; and the framework texts these relay (actix-web's
/// payload errors, actix-multipart's errors).
const CATALOGUE: &[(&str, &str)] = &[
    // src/error.rs: the details of the error model itself.
    (
        "this resource supports {}",
        "tài nguyên này chỉ hỗ trợ các phương thức {}",
    ),
    (
        "too many attempts; retry in {} seconds",
        "quá nhiều lần thử; vui lòng thử lại sau {} giây",
    ),
    (
        "the request has invalid fields",
        "yêu cầu có trường không hợp lệ",
    ),
    (
        "the request refers to something that does not exist",
        "yêu cầu tham chiếu đến đối tượng không tồn tại",
    ),
    (
        "fields of the request are at odds with each other or with what is stored",
        "các trường của yêu cầu mâu thuẫn với nhau hoặc với dữ liệu đã lưu",
    ),
    (
        "the service is busy; retry in a moment",
        "hệ thống đang bận; vui lòng thử lại sau giây lát",
    ),
    (
        "the server's storage is full: nothing was stored; retry once an operator has made room",
        "bộ nhớ lưu trữ của máy chủ đã đầy: chưa có dữ liệu nào được lưu; vui lòng thử lại khi \
         quản trị hệ thống đã giải phóng dung lượng",
    ),
    (
        "an unexpected error occurred; it has been logged",
        "đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi nhận",
    ),
    ("no such resource", "không tìm thấy tài nguyên"),
    (
        "a resource with the same unique value already exists",
        "đã có tài nguyên khác mang cùng giá trị không được trùng lặp",
    ),
    (
        "refers to something that does not exist, or breaks a rule of the data",
        "tham chiếu đến đối tượng không tồn tại, hoặc vi phạm quy tắc của dữ liệu",
    ),
    (
        "the request body is larger than the limit of {} bytes",
        "nội dung yêu cầu vượt quá giới hạn {} byte",
    ),
    (
        "the request body is larger than the limit",
        "nội dung yêu cầu vượt quá giới hạn cho phép",
    ),
    (
        "the request body must be JSON, sent with Content-Type: application/json",
        "nội dung yêu cầu phải là JSON, gửi kèm Content-Type: application/json",
    ),
    (
        "the request body is not valid JSON: {}",
        "nội dung yêu cầu không phải là JSON hợp lệ: {}",
    ),
    (
        "the request body could not be read: {?}",
        "không đọc được nội dung yêu cầu: {}",
    ),
    ("no resource at {}", "không có tài nguyên nào tại {}"),
    // src/http/body_timeout.rs (and the 408 example of src/openapi.rs).
    (
        "the request body stopped coming for {} s",
        "đã quá {} giây mà nội dung yêu cầu vẫn chưa được gửi tiếp",
    ),
    (
        "the request body stopped coming",
        "nội dung yêu cầu không được gửi tiếp",
    ),
    // src/http/fallback.rs
    (
        "there is no resource at {}",
        "không có tài nguyên nào tại {}",
    ),
    (
        "is not a parameter of this operation, which takes none",
        "không phải là tham số của thao tác này; thao tác này không nhận tham số nào",
    ),
    (
        "is not a parameter of this operation; it takes {}",
        "không phải là tham số của thao tác này; thao tác này nhận các tham số: {}",
    ),
    // src/http/wording.rs: serde's errors reworded (and serde's own,
    // relayed as they are).
    ("must be {*}, not {?}", "phải là {}, không phải {}"),
    ("must be a whole number", "phải là số nguyên"),
    ("must be a number", "phải là số"),
    ("must be true or false", "phải là true hoặc false"),
    ("is out of range", "nằm ngoài phạm vi cho phép"),
    (
        "{} is not one of {}",
        "{} không phải là một trong các giá trị {}",
    ),
    (
        "{} is not a value this field takes",
        "{} không phải là giá trị hợp lệ của trường này",
    ),
    (
        "{} is not a field of this request, which takes {}",
        "{} không phải là trường của yêu cầu này; yêu cầu này nhận các trường: {}",
    ),
    (
        "{} is not a field of this request",
        "{} không phải là trường của yêu cầu này",
    ),
    ("{} is required", "thiếu trường bắt buộc {}"),
    (
        "matches none of the forms this request takes (see its schema)",
        "không khớp với dạng nào mà yêu cầu này chấp nhận (xem lược đồ của yêu cầu)",
    ),
    ("duplicate field `{}`", "trường `{}` bị lặp lại"),
    // src/http/pagination.rs (and src/feeds/routes.rs, the 422 example of
    // src/openapi.rs).
    (
        "must be from {} to {}",
        "phải nằm trong khoảng từ {} đến {}",
    ),
    ("pages are numbered from 1", "số trang bắt đầu từ 1"),
    (
        "holds only letters, digits, - and _ (as issued)",
        "chỉ gồm chữ cái, chữ số, - và _ (như khi được cấp)",
    ),
    (
        "no page at this cursor: this list did not issue it; start from the first page",
        "không có trang nào tại con trỏ này: danh sách này không cấp con trỏ đó; hãy bắt đầu \
         lại từ trang đầu",
    ),
    // src/http/fields.rs, src/articles/params.rs
    (
        "no field is called `{}`; the fields are {}",
        "không có trường nào tên `{}`; các trường hiện có: {}",
    ),
    (
        "cannot include `{}`; give some of {}",
        "không thể nhúng `{}`; hãy chọn trong số {}",
    ),
    // src/articles/counters.rs, src/auth/refresh_cookie.rs
    (
        "must be up to {} article ids, comma-separated",
        "phải là tối đa {} id bài viết, cách nhau bằng dấu phẩy",
    ),
    (
        "a refresh by cookie needs the X-CSRF-Token header its last login or refresh gave",
        "làm mới phiên bằng cookie cần tiêu đề X-CSRF-Token mà lần đăng nhập hoặc làm mới gần nhất đã cấp",
    ),
    (
        "send refresh_token, or refresh with the cookie a login with refresh_cookie set",
        "hãy gửi refresh_token, hoặc làm mới bằng cookie do lần đăng nhập có refresh_cookie cấp",
    ),
    (
        "the refresh cookie is empty: log in again",
        "cookie làm mới phiên bị trống: hãy đăng nhập lại",
    ),
    // src/http/preconditions.rs
    (
        "the resource has changed since you read it (it is now {}); read it again",
        "tài nguyên đã thay đổi kể từ lần bạn đọc (hiện là {}); hãy đọc lại",
    ),
    (
        "it is at version {}, not {}; read it again",
        "tài nguyên đang ở phiên bản {}, không phải {}; hãy đọc lại",
    ),
    (
        "the If-Match header is malformed",
        "tiêu đề If-Match không đúng định dạng",
    ),
    // src/text/mod.rs (titles, names, lines of every kind), src/text/slug.rs
    (
        "must be {} to {} characters, without control characters",
        "phải có từ {} đến {} ký tự, không chứa ký tự điều khiển",
    ),
    (
        "`{}` is not an absolute http(s) URL such as https://api.sonoivu.gov.vn",
        "`{}` không phải là URL http(s) tuyệt đối, ví dụ https://api.sonoivu.gov.vn",
    ),
    (
        "must be {} to {} characters long",
        "phải dài từ {} đến {} ký tự",
    ),
    (
        "may hold only a-z, 0-9 and single hyphens between them",
        "chỉ được chứa a-z, 0-9 và dấu gạch ngang đơn giữa các ký tự đó",
    ),
    (
        "has no letter or digit to build a slug from",
        "không có chữ cái hay chữ số nào để tạo slug",
    ),
    (
        "must hold a letter: digits alone would read as an id",
        "phải chứa ít nhất một chữ cái: nếu chỉ có chữ số sẽ bị hiểu là id",
    ),
    // src/support/timestamps.rs
    (
        "must be an RFC 3339 time such as 2026-11-24T10:30:00+07:00, in the years 0001 to 9999",
        "phải là thời điểm theo RFC 3339, ví dụ 2026-11-24T10:30:00+07:00, trong khoảng năm \
         0001 đến 9999",
    ),
    (
        "must be a date such as 2021-12-31 (YYYY-MM-DD), in the years 0001 to 9999",
        "phải là ngày theo dạng YYYY-MM-DD, ví dụ 2021-12-31, trong khoảng năm 0001 đến 9999",
    ),
    // src/auth/principal.rs
    (
        "this needs the {} role; your account is {}",
        "thao tác này cần vai trò {}; tài khoản của bạn có vai trò {}",
    ),
    (
        "API keys cannot manage accounts, keys or the audit log; sign in as an admin",
        "khóa API không được quản lý tài khoản, khóa API hay nhật ký kiểm toán; hãy đăng nhập \
         bằng tài khoản quản trị",
    ),
    (
        "this API key has the read scope: it cannot change anything",
        "khóa API này chỉ có quyền đọc: không thể thay đổi dữ liệu",
    ),
    (
        "send either a bearer token or an API key, not both",
        "chỉ gửi mã truy cập (bearer token) hoặc khóa API, không gửi cả hai",
    ),
    (
        "use the Bearer scheme: Authorization: Bearer <token>",
        "hãy dùng lược đồ Bearer: Authorization: Bearer <token>",
    ),
    (
        "the access token has expired; refresh it, or log in again",
        "mã truy cập đã hết hạn; hãy làm mới mã hoặc đăng nhập lại",
    ),
    (
        "the access token is not one this service issued",
        "mã truy cập không do hệ thống này cấp",
    ),
    (
        "the API key is unknown or revoked",
        "khóa API không tồn tại hoặc đã bị thu hồi",
    ),
    (
        "sign in, or send an API key",
        "hãy đăng nhập hoặc gửi khóa API",
    ),
    (
        "API keys have no session; sign in with an account",
        "khóa API không có phiên đăng nhập; hãy đăng nhập bằng tài khoản",
    ),
    ("sign in first", "vui lòng đăng nhập trước"),
    // src/auth/routes.rs, src/auth/sessions.rs
    (
        "the email or password is wrong",
        "email hoặc mật khẩu không đúng",
    ),
    (
        "this refresh token was already used; the session is ended, log in again",
        "mã làm mới này đã được sử dụng; phiên đăng nhập đã kết thúc, hãy đăng nhập lại",
    ),
    ("the refresh token is not valid", "mã làm mới không hợp lệ"),
    (
        "the session went unused too long; log in again",
        "phiên đăng nhập đã hết hạn do không hoạt động; hãy đăng nhập lại",
    ),
    (
        "the session has ended; log in again",
        "phiên đăng nhập đã kết thúc; hãy đăng nhập lại",
    ),
    // src/users/*, src/identity/*
    (
        "an account with the email {} already exists",
        "đã có tài khoản dùng email {}",
    ),
    (
        "this is the only admin: make another admin first",
        "đây là quản trị viên duy nhất: hãy chỉ định một quản trị viên khác trước",
    ),
    (
        "no account has the id {}",
        "không tìm thấy tài khoản có id {}",
    ),
    ("is empty", "không được để trống"),
    ("is longer than {} characters", "dài hơn {} ký tự"),
    (
        "is not an address such as name@example.gov.vn",
        "không phải là địa chỉ email hợp lệ, ví dụ name@example.gov.vn",
    ),
    (
        "has a domain part mixing alphabets (such as Latin and Cyrillic look-alikes)",
        "có phần tên miền trộn lẫn nhiều bảng chữ cái (chẳng hạn chữ Latinh và chữ Kirin trông \
         giống nhau)",
    ),
    (
        "must be at least {} characters long",
        "phải dài ít nhất {} ký tự",
    ),
    (
        "must be at most {} characters long",
        "chỉ được dài tối đa {} ký tự",
    ),
    (
        "must use at least {} different characters",
        "phải dùng ít nhất {} ký tự khác nhau",
    ),
    (
        "registration is closed on this portal",
        "cổng thông tin này hiện không mở đăng ký tài khoản",
    ),
    // src/api_keys/routes.rs
    (
        "no active API key has the id {}",
        "không tìm thấy khóa API đang hoạt động có id {}",
    ),
    // src/areas/*, src/documents/routes.rs
    // (`… the id or slug` first: `… the id {}` would take it too.)
    (
        "no area has the id or slug `{}`",
        "không tìm thấy lĩnh vực có id hoặc slug `{}`",
    ),
    ("no area has the id {}", "không tìm thấy lĩnh vực có id {}"),
    ("no area has this id", "không tìm thấy lĩnh vực có id này"),
    (
        "too many areas have this name",
        "đã có quá nhiều lĩnh vực trùng tên này",
    ),
    (
        "documents or subareas use this area",
        "lĩnh vực này đang được văn bản hoặc lĩnh vực con sử dụng",
    ),
    // src/categories/*
    (
        "no category has the id or slug `{}`",
        "không tìm thấy chuyên mục có id hoặc slug `{}`",
    ),
    (
        "no category has the id {}",
        "không tìm thấy chuyên mục có id {}",
    ),
    (
        "another category in `{}` has the slug `{}`",
        "slug `{1}` đã được chuyên mục khác bằng ngôn ngữ `{0}` sử dụng",
    ),
    (
        "too many categories have this name; send a slug",
        "đã có quá nhiều chuyên mục trùng tên này; hãy gửi kèm slug",
    ),
    (
        "a category cannot sit under itself or one of its subcategories",
        "chuyên mục không thể nằm dưới chính nó hoặc một chuyên mục con của nó",
    ),
    (
        "must be at most {} characters, without control characters",
        "tối đa {} ký tự, không chứa ký tự điều khiển",
    ),
    (
        "the category holds {} subcategories and {} articles: move them first",
        "chuyên mục đang chứa {} chuyên mục con và {} bài viết: hãy chuyển chúng đi trước",
    ),
    // src/ratings/*, src/readers/voters.rs
    (
        "must be a whole number from {} to {}",
        "phải là số nguyên từ {} đến {}",
    ),
    (
        "no published article has the id {}",
        "không tìm thấy bài viết đã xuất bản có id {}",
    ),
    (
        "sign in to rate articles",
        "hãy đăng nhập để đánh giá bài viết",
    ),
    (
        "X-Voter-Token is not a token this service issued; send the one it gave you, or none",
        "X-Voter-Token không phải là mã do hệ thống này cấp; hãy gửi đúng mã đã được cấp, hoặc \
         không gửi",
    ),
    (
        "API keys do not vote; readers do",
        "khóa API không được bình chọn; chỉ bạn đọc mới được bình chọn",
    ),
    // src/comments/*
    ("must be at most {} characters", "tối đa {} ký tự"),
    ("must not be empty", "không được để trống"),
    (
        "must not hold control characters",
        "không được chứa ký tự điều khiển",
    ),
    (
        "was issued for another sort; start from the first page",
        "được cấp cho một cách sắp xếp khác; hãy bắt đầu lại từ trang đầu",
    ),
    (
        "API keys do not comment; readers do",
        "khóa API không được bình luận; chỉ bạn đọc mới được bình luận",
    ),
    (
        "guests give the name shown with their comment",
        "khách phải cung cấp tên hiển thị kèm bình luận",
    ),
    (
        "must be left empty (it is there to catch robots)",
        "phải để trống (trường này dùng để phát hiện máy tự động)",
    ),
    (
        "API keys have no comments of their own",
        "khóa API không có bình luận của riêng mình",
    ),
    (
        "sign in to change your comment",
        "hãy đăng nhập để sửa bình luận của bạn",
    ),
    (
        "no comment has the id {}",
        "không tìm thấy bình luận có id {}",
    ),
    (
        "document {} is not open for public consultation now",
        "văn bản {} hiện không trong thời gian lấy ý kiến góp ý công khai",
    ),
    (
        "no approved comment of this thread has the id {}",
        "không có bình luận đã duyệt nào của chủ đề này có id {}",
    ),
    (
        "replies go at most {} levels deep; answer the comment above it",
        "trả lời chỉ được lồng tối đa {} cấp; hãy trả lời bình luận ở cấp trên",
    ),
    (
        "only its author changes a comment (editors moderate it)",
        "chỉ tác giả mới được sửa bình luận của mình (biên tập viên thực hiện kiểm duyệt)",
    ),
    (
        "comments can be changed for {} minutes after they are written",
        "bình luận chỉ được sửa trong vòng {} phút sau khi viết",
    ),
    // src/articles/*
    (
        "no article has the id or slug `{}`",
        "không tìm thấy bài viết có id hoặc slug `{}`",
    ),
    (
        "no article has the id {}",
        "không tìm thấy bài viết có id {}",
    ),
    (
        "no trashed article has the id {}",
        "không có bài viết nào trong thùng rác có id {}",
    ),
    (
        "no article of yours has the id {}",
        "bạn không có bài viết nào có id {}",
    ),
    (
        "the article has no revision {}",
        "bài viết không có bản sửa đổi {}",
    ),
    (
        "no sync resumes at this token: this service did not issue it; sync again without since",
        "không thể đồng bộ tiếp từ mã này: hệ thống không cấp mã này; hãy đồng bộ lại từ đầu, \
         không kèm since",
    ),
    ("at most {} tags", "tối đa {} thẻ"),
    ("each tag {*}", "mỗi thẻ {}"),
    (
        "only editors set the status `{}`; authors write drafts and submit them (`pending_review`)",
        "chỉ biên tập viên mới được đặt trạng thái `{}`; tác giả viết bản nháp rồi gửi duyệt \
         (`pending_review`)",
    ),
    (
        "scheduling needs a publication time in the future",
        "muốn hẹn giờ xuất bản cần có thời điểm xuất bản trong tương lai",
    ),
    (
        "only editors set published_at",
        "chỉ biên tập viên mới được đặt published_at",
    ),
    (
        "must be within the years {} to {}",
        "phải nằm trong khoảng năm {} đến {}",
    ),
    (
        "another article in `{}` has the slug `{}`",
        "slug `{1}` đã được bài viết khác bằng ngôn ngữ `{0}` sử dụng",
    ),
    // src/articles/translations.rs
    (
        "an article cannot be a translation of itself or of its own translation",
        "bài viết không thể là bản dịch của chính nó hoặc của bản dịch của nó",
    ),
    (
        "article {} has translations of its own: link them to article {} first",
        "bài viết {} đã có các bản dịch riêng: hãy liên kết chúng với bài viết {} trước",
    ),
    (
        "article {} is this article's translation in `{}` already",
        "bài viết {} đã là bản dịch bằng ngôn ngữ `{}` của bài viết này",
    ),
    (
        "too many articles have this title; send a slug",
        "đã có quá nhiều bài viết trùng tiêu đề này; hãy gửi kèm slug",
    ),
    (
        "authors edit only their own articles, and only while they are drafts or pending review",
        "tác giả chỉ được sửa bài viết của mình, và chỉ khi bài còn là bản nháp hoặc đang chờ \
         duyệt",
    ),
    (
        "`trashed` lists the trash: give it alone",
        "`trashed` dùng để liệt kê thùng rác: chỉ dùng riêng giá trị này",
    ),
    (
        "`{}` is not a status; give some of {}, or `trashed`",
        "`{}` không phải là trạng thái; hãy chọn trong số {}, hoặc `trashed`",
    ),
    (
        "sign in as staff to list unpublished articles",
        "hãy đăng nhập bằng tài khoản cán bộ để xem danh sách bài viết chưa xuất bản",
    ),
    (
        "only staff list unpublished articles",
        "chỉ cán bộ mới được xem danh sách bài viết chưa xuất bản",
    ),
    (
        "only editors see the trash",
        "chỉ biên tập viên mới được xem thùng rác",
    ),
    (
        "only editors publish; authors submit for review",
        "chỉ biên tập viên mới được xuất bản; tác giả gửi bài để duyệt",
    ),
    // src/documents/number.rs
    (
        "needs `/` between the serial and the codes, as in 5359/QĐ-UBND",
        "cần có `/` giữa số thứ tự và ký hiệu, như 5359/QĐ-UBND",
    ),
    (
        "must start with the serial number in digits (a letter may follow), as in 5359/QĐ-UBND",
        "phải bắt đầu bằng số thứ tự viết bằng chữ số (có thể kèm một chữ cái), như \
         5359/QĐ-UBND",
    ),
    (
        "has a year `{}` that is not a year from 1945 to 2100",
        "có năm `{}` không nằm trong khoảng 1945 đến 2100",
    ),
    (
        "has a code part `{}` that is not letters and digits (a part must hold a letter)",
        "có phần ký hiệu `{}` không chỉ gồm chữ cái và chữ số (mỗi phần phải có chữ cái)",
    ),
    (
        "names the type {} but no issuer after it, as in 5359/QĐ-UBND",
        "có mã loại văn bản {} nhưng thiếu mã cơ quan ban hành phía sau, như 5359/QĐ-UBND",
    ),
    (
        "has more parts than a document number holds",
        "có nhiều phần hơn mức một số, ký hiệu văn bản cho phép",
    ),
    (
        "has `{}` between the serial and the slash, which is no type code (as in 19-NQ/TW)",
        "có `{}` giữa số thứ tự và dấu gạch chéo, đây không phải mã loại văn bản (như 19-NQ/TW)",
    ),
    // src/documents/writes.rs (and src/comments/mod.rs,
    // src/articles/list_routes.rs, src/documents/attachments/writes.rs)
    (
        "no document has the id {}",
        "không tìm thấy văn bản có id {}",
    ),
    (
        "the registry already holds {}",
        "sổ đăng ký đã có văn bản {}",
    ),
    (
        "must be on or after issued_on",
        "phải trùng hoặc sau issued_on",
    ),
    (
        "must be after issued_on and effective_on",
        "phải sau issued_on và effective_on",
    ),
    (
        "only a draft is opened for consultation",
        "chỉ dự thảo mới được lấy ý kiến góp ý",
    ),
    (
        "must be after consultation_from",
        "phải sau consultation_from",
    ),
    (
        "a consultation window needs both consultation_from and consultation_to",
        "thời gian lấy ý kiến cần có cả consultation_from và consultation_to",
    ),
    (
        "a document cannot relate to itself",
        "văn bản không thể liên quan đến chính nó",
    ),
    (
        "a document cannot both supersede and be replaced by the same one",
        "văn bản không thể vừa thay thế vừa bị thay thế bởi cùng một văn bản",
    ),
    // src/documents/attachments/*
    (
        "must name a file, not `.` or `..`",
        "phải là tên tệp, không được là `.` hoặc `..`",
    ),
    (
        "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)",
        "không được chứa ký tự điều khiển hướng văn bản (U+202A–U+202E, U+2066–U+2069)",
    ),
    (
        "the multipart body is malformed: {?}",
        "nội dung multipart không đúng định dạng: {}",
    ),
    ("send the file with its name", "hãy gửi tệp kèm tên tệp"),
    ("its name {*}", "tên tệp {}"),
    (
        "attachments are at most {} bytes",
        "tệp đính kèm tối đa {} byte",
    ),
    (
        "send a file in the form field `file`",
        "hãy gửi tệp trong trường biểu mẫu `file`",
    ),
    (
        "the file is not a PDF, DOCX, XLSX, PNG or JPEG (its bytes say so, whatever its name)",
        "tệp không phải là PDF, DOCX, XLSX, PNG hay JPEG (xét theo nội dung tệp, bất kể tên tệp)",
    ),
    (
        "document {} has no attachment {}",
        "văn bản {} không có tệp đính kèm {}",
    ),
    // src/openapi.rs: the 416 example.
    (
        "the range starts past the end of the file",
        "phạm vi yêu cầu bắt đầu sau phần cuối của tệp",
    ),
    // src/webhooks/*
    (
        "is not an absolute http(s) URL such as https://cong.binhdinh.gov.vn/hooks",
        "không phải là URL http(s) tuyệt đối, ví dụ https://cong.binhdinh.gov.vn/hooks",
    ),
    (
        "must not carry a user name or password (put the secret in `secret`)",
        "không được chứa tên người dùng hay mật khẩu (hãy đặt khóa bí mật vào `secret`)",
    ),
    (
        "points at {}, which deliveries may not reach (an operator may allow private networks \
         with BULLETIN_WEBHOOK_ALLOW_PRIVATE=on)",
        "trỏ tới {}, là địa chỉ không được phép gửi đến (quản trị hệ thống có thể cho phép mạng \
         riêng bằng BULLETIN_WEBHOOK_ALLOW_PRIVATE=on)",
    ),
    (
        "names this host (localhost), which deliveries may not reach",
        "trỏ tới chính máy chủ này (localhost), là địa chỉ không được phép gửi đến",
    ),
    (
        "has a host name that does not resolve",
        "có tên máy chủ không phân giải được",
    ),
    ("url {*}", "url {}"),
    ("name at least one event", "hãy nêu ít nhất một sự kiện"),
    (
        "no webhook has the id {}",
        "không tìm thấy webhook có id {}",
    ),
    (
        "webhook {} is paused: set `active` to true before sending a test",
        "webhook {} đang tạm dừng: hãy đặt `active` thành true trước khi gửi thử",
    ),
    // src/legacy/routes.rs: its three forms, the noun in Vietnamese.
    (
        "no imported article is published at this old address",
        "không có bài viết được nhập nào xuất bản tại địa chỉ cũ này",
    ),
    (
        "no imported category is published at this old address",
        "không có chuyên mục được nhập nào xuất bản tại địa chỉ cũ này",
    ),
    (
        "no imported document is published at this old address",
        "không có văn bản được nhập nào xuất bản tại địa chỉ cũ này",
    ),
    // src/text/lang.rs
    (
        "must be a language tag such as vi, en or vi-VN: 2 or 3 letters, then subtags of 1 to 8 letters or digits, each after a hyphen, at most {} characters in all",
        "phải là một thẻ ngôn ngữ như vi, en hoặc vi-VN: 2 hoặc 3 chữ cái, tiếp theo là các thẻ \
         con gồm 1 đến 8 chữ cái hoặc chữ số, mỗi thẻ con đứng sau một dấu gạch nối, tổng cộng \
         tối đa {} ký tự",
    ),
    // src/static_pages/*
    // (`… the id or slug` first: `… the id {}` would take it too.)
    (
        "no page in `{}` has the id or slug `{}`",
        "không tìm thấy trang bằng ngôn ngữ `{}` có id hoặc slug `{}`",
    ),
    (
        "no page has the id or slug `{}`",
        "không tìm thấy trang có id hoặc slug `{}`",
    ),
    ("no page has the id {}", "không tìm thấy trang có id {}"),
    (
        "another page in `{}` has the slug `{}`",
        "slug `{1}` đã được trang khác bằng ngôn ngữ `{0}` sử dụng",
    ),
    (
        "too many pages in `{}` have this title; send a slug",
        "đã có quá nhiều trang bằng ngôn ngữ `{}` trùng tiêu đề này; hãy gửi kèm slug",
    ),
    // src/media/*
    (
        "the file is not a JPEG, PNG or WebP image (its bytes say so, whatever its name)",
        "tệp không phải là ảnh JPEG, PNG hay WebP (xét theo nội dung tệp, bất kể tên tệp)",
    ),
    (
        "GIF images are not taken: send a PNG or WebP instead",
        "không nhận ảnh GIF: hãy gửi ảnh PNG hoặc WebP",
    ),
    ("images are at most {} bytes", "ảnh tải lên tối đa {} byte"),
    (
        "is {} × {} pixels; an image is at most {} pixels on each side",
        "có kích thước {} × {} điểm ảnh; mỗi chiều của ảnh tối đa {} điểm ảnh",
    ),
    (
        "needs more than {} MiB once decoded; send a smaller image",
        "cần hơn {} MiB bộ nhớ khi giải mã; hãy gửi ảnh nhỏ hơn",
    ),
    (
        "could not be read as a {} image: it is damaged or cut short",
        "không đọc được dưới dạng ảnh {}: tệp bị hỏng hoặc không đầy đủ",
    ),
    ("must be UTF-8 text", "phải là văn bản mã hóa UTF-8"),
    ("no image has the id {}", "không tìm thấy ảnh có id {}"),
    ("no image has the file {}", "không có ảnh nào có tệp {}"),
    (
        "the articles {} show this image (as cover or preview image): give them another first",
        "các bài viết {} đang dùng ảnh này (làm ảnh đại diện hoặc ảnh xem trước): hãy đổi ảnh \
         khác cho các bài viết đó trước",
    ),
    // src/sitemaps/routes.rs: a page past the last, of each kind.
    (
        "no sitemap of articles is numbered {}; /sitemap.xml lists those there are",
        "không có sitemap bài viết số {}; /sitemap.xml liệt kê các sitemap hiện có",
    ),
    (
        "no sitemap of documents is numbered {}; /sitemap.xml lists those there are",
        "không có sitemap văn bản số {}; /sitemap.xml liệt kê các sitemap hiện có",
    ),
    // src/collections/*, src/previews/*
    (
        "no collection has the id or slug `{}`",
        "không tìm thấy bộ sưu tập có id hoặc slug `{}`",
    ),
    (
        "no collection has the id {}",
        "không tìm thấy bộ sưu tập có id {}",
    ),
    (
        "no collection has the slug `{}`",
        "không tìm thấy bộ sưu tập có slug `{}`",
    ),
    (
        "another collection has the slug `{}`",
        "slug `{}` đã được bộ sưu tập khác sử dụng",
    ),
    (
        "too many collections have this name; send a slug",
        "đã có quá nhiều bộ sưu tập trùng tên này; hãy gửi kèm slug",
    ),
    (
        "a collection holds at most {} articles",
        "một bộ sưu tập chứa tối đa {} bài viết",
    ),
    (
        "the article {} is listed twice",
        "bài viết {} được liệt kê hai lần",
    ),
    (
        "only editors choose the featured articles",
        "chỉ biên tập viên mới được chọn tin nổi bật",
    ),
    (
        "the article has no working preview link with the id {}",
        "bài viết không có liên kết xem trước còn hiệu lực với id {}",
    ),
    ("must be 1 to {} hours", "phải từ 1 đến {} giờ"),
    // The general forms of the openings above: after every specific one.
    ("must be at most {}", "không được lớn hơn {}"),
    ("must be {*}", "phải là {}"),
    // Pieces of the messages above, for their `{*}` and `{?}`: what
    // src/http/wording.rs says serde expected or found.
    ("a whole number", "số nguyên"),
    ("a number", "số"),
    ("text", "chuỗi ký tự"),
    ("true or false", "true hoặc false"),
    ("a list", "danh sách"),
    ("an object", "đối tượng"),
    (
        "one of the values its schema lists",
        "một trong các giá trị mà lược đồ liệt kê",
    ),
    ("one of {}", "một trong các giá trị {}"),
    ("the text {}", "chuỗi {}"),
    // What actix-web and actix-multipart say of a body they could not read,
    // after "the request body could not be read: " or "the multipart body
    // is malformed: ".
    (
        "can not decode content-encoding",
        "không giải mã được content-encoding",
    ),
    (
        "payload length is unknown",
        "không xác định được độ dài nội dung",
    ),
    (
        "payload reached EOF before completing: {}",
        "nội dung kết thúc trước khi nhận đủ: {}",
    ),
    (
        "Could not find Content-Type header",
        "không tìm thấy tiêu đề Content-Type",
    ),
    (
        "Could not parse Content-Type header",
        "không phân tích được tiêu đề Content-Type",
    ),
    (
        "Parsed Content-Type did not have 'multipart' top-level media type",
        "Content-Type không thuộc kiểu 'multipart'",
    ),
    (
        "Multipart boundary is not found",
        "không tìm thấy boundary của multipart",
    ),
    (
        "Multipart stream is incomplete",
        "luồng multipart chưa đầy đủ",
    ),
    (
        "Nested multipart is not supported",
        "không hỗ trợ multipart lồng nhau",
    ),
];

/// The Vietnamese reason phrase of an HTTP status this service answers (400, 401, 403, 404, 405,
/// 406, 408, 409, 410, 412, 413, 415, 416, 422, 429, 500, 503, 507 at least).
pub fn title(status: u16) -> Option<&'static str> {
    REASONS
        .iter()
        .find(|(code, ..)| *code == status)
        .map(|(.., vietnamese)| *vietnamese)
}

/// The Vietnamese of an English `detail` or `errors[].message` this service writes, or None when
/// the catalogue has no entry.
pub fn message(english: &str) -> Option<String> {
    templates()
        .iter()
        .find_map(|template| {
            let mut parts = Vec::new();
            captured(&template.english, english, &mut parts)
                .then(|| fill(&template.vietnamese, &parts))
        })
        .or_else(|| {
            REASONS
                .iter()
                .find(|(_, reason, _)| *reason == english)
                .map(|(.., vietnamese)| (*vietnamese).to_owned())
        })
}

/// A piece of an English template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Text the message holds as it stands.
    Literal(&'static str),
    /// `{}`: a part carried over as sent.
    Verbatim,
    /// `{*}`: a message of the catalogue, carried over in Vietnamese.
    Nested,
    /// `{?}`: in Vietnamese when the catalogue has it, else as sent.
    Optional,
}

/// A piece of a Vietnamese template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Text(&'static str),
    /// The captured part of this index.
    Part(usize),
}

#[derive(Debug)]
struct Template {
    english: Vec<Piece>,
    vietnamese: Vec<Slot>,
}

/// The catalogue, each template cut into its pieces once.
fn templates() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        CATALOGUE
            .iter()
            .map(|(english, vietnamese)| Template {
                english: english_pieces(english),
                vietnamese: vietnamese_slots(vietnamese),
            })
            .collect()
    })
}

/// `template` cut at its placeholders `{}`, `{*}` and `{?}`.
fn english_pieces(template: &'static str) -> Vec<Piece> {
    const PLACEHOLDERS: [(&str, Piece); 3] = [
        ("{}", Piece::Verbatim),
        ("{*}", Piece::Nested),
        ("{?}", Piece::Optional),
    ];
    let mut pieces = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let next = PLACEHOLDERS
            .iter()
            .filter_map(|(token, piece)| rest.find(*token).map(|at| (at, token.len(), *piece)))
            .min_by_key(|(at, ..)| *at);
        let Some((at, len, piece)) = next else {
            pieces.push(Piece::Literal(rest));
            break;
        };
        if at > 0 {
            pieces.push(Piece::Literal(&rest[..at]));
        }
        pieces.push(piece);
        rest = &rest[at + len..];
    }
    pieces
}

/// `template` cut at its placeholders: `{}` takes the next part in order,
/// `{0}`, `{1}`, … the part of that index.
fn vietnamese_slots(template: &'static str) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut next = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let inside = &rest[open + 1..];
        let index = inside.find('}').and_then(|close| {
            let digits = &inside[..close];
            let index = if digits.is_empty() {
                next += 1;
                Some(next - 1)
            } else {
                digits.parse().ok()
            };
            index.map(|index| (index, close))
        });
        match index {
            Some((index, close)) => {
                if open > 0 {
                    slots.push(Slot::Text(&rest[..open]));
                }
                slots.push(Slot::Part(index));
                rest = &inside[close + 1..];
            }
            // A brace of the text itself.
            None => {
                slots.push(Slot::Text(&rest[..=open]));
                rest = inside;
            }
        }
    }
    if !rest.is_empty() {
        slots.push(Slot::Text(rest));
    }
    slots
}

/// Whether `text` is of the form `pieces` say, with the parts it holds at
/// their placeholders (translated as each says) appended to `parts`. A
/// placeholder takes a non-empty run; where a literal after it occurs more
/// than once, each place is tried from the first, so that it takes the
/// shortest run the rest of the template allows.
fn captured(pieces: &[Piece], text: &str, parts: &mut Vec<String>) -> bool {
    match pieces {
        [] => text.is_empty(),
        [Piece::Literal(literal), rest @ ..] => text
            .strip_prefix(*literal)
            .is_some_and(|text| captured(rest, text, parts)),
        [placeholder, rest @ ..] => {
            let next = match rest.first() {
                None => None,
                Some(Piece::Literal(literal)) => Some(*literal),
                // Two placeholders in a row cannot be told apart.
                Some(_) => return false,
            };
            let Some(first) = text.chars().next() else {
                return false;
            };
            let mut from = first.len_utf8();
            loop {
                let end = match next {
                    None => text.len(),
                    Some(literal) => match text[from..].find(literal) {
                        Some(at) => from + at,
                        None => return false,
                    },
                };
                if let Some(part) = rendered(*placeholder, &text[..end]) {
                    parts.push(part);
                    if captured(rest, &text[end..], parts) {
                        return true;
                    }
                    parts.pop();
                }
                // Past the end: no other place to try.
                let Some(c) = text[end..].chars().next() else {
                    return false;
                };
                from = end + c.len_utf8();
            }
        }
    }
}

/// A captured part as its placeholder carries it over; `None` when it must
/// be a message of the catalogue and is not.
fn rendered(placeholder: Piece, part: &str) -> Option<String> {
    match placeholder {
        Piece::Nested => message(part),
        Piece::Optional => Some(message(part).unwrap_or_else(|| part.to_owned())),
        Piece::Verbatim | Piece::Literal(_) => Some(part.to_owned()),
    }
}

/// The Vietnamese template with each part in its place.
fn fill(slots: &[Slot], parts: &[String]) -> String {
    let mut filled = String::new();
    for slot in slots {
        match slot {
            Slot::Text(text) => filled.push_str(text),
            Slot::Part(index) => filled.push_str(parts.get(*index).map_or("", String::as_str)),
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn vi(english: &str) -> String {
        message(english).unwrap_or_else(|| panic!("no Vietnamese for {english:?}"))
    }

    #[test]
    fn every_status_the_service_answers_has_a_reason_phrase() {
        let answered = [
            400, 401, 403, 404, 405, 406, 408, 409, 410, 412, 413, 415, 416, 422, 429, 500, 503,
            507,
        ];
        for status in answered {
            let phrase = title(status).unwrap_or_else(|| panic!("no phrase for {status}"));
            assert!(!phrase.is_empty(), "{status}");
        }
        assert_eq!(title(400), Some("Yêu cầu không hợp lệ"));
        assert_eq!(title(401), Some("Chưa xác thực"));
        assert_eq!(title(404), Some("Không tìm thấy"));
        assert_eq!(title(409), Some("Xung đột dữ liệu"));
        assert_eq!(title(422), Some("Dữ liệu không hợp lệ"));
        assert_eq!(title(429), Some("Quá nhiều yêu cầu"));
        assert_eq!(title(500), Some("Lỗi máy chủ nội bộ"));
        assert_eq!(title(503), Some("Dịch vụ tạm thời không khả dụng"));
        assert_eq!(title(507), Some("Không đủ dung lượng lưu trữ"));
        assert_eq!(title(299), None);
    }

    #[test]
    fn a_framework_error_without_detail_reads_as_its_reason_phrase() {
        assert_eq!(vi("Range Not Satisfiable"), "Phạm vi yêu cầu không hợp lệ");
        assert_eq!(vi("Internal Server Error"), "Lỗi máy chủ nội bộ");
    }

    #[test]
    fn exact_messages_are_translated() {
        assert_eq!(
            vi("the request has invalid fields"),
            "yêu cầu có trường không hợp lệ"
        );
        assert_eq!(
            vi("the session went unused too long; log in again"),
            "phiên đăng nhập đã hết hạn do không hoạt động; hãy đăng nhập lại"
        );
        assert_eq!(vi("is empty"), "không được để trống");
        assert_eq!(
            vi("must be a date such as 2021-12-31 (YYYY-MM-DD), in the years 0001 to 9999"),
            "phải là ngày theo dạng YYYY-MM-DD, ví dụ 2021-12-31, trong khoảng năm 0001 đến 9999"
        );
    }

    #[test]
    fn templated_messages_carry_their_parts_over() {
        assert_eq!(
            vi("must be 1 to 100 characters, without control characters"),
            "phải có từ 1 đến 100 ký tự, không chứa ký tự điều khiển"
        );
        assert_eq!(
            vi("no category has the id or slug `cai-cach-hanh-chinh`"),
            "không tìm thấy chuyên mục có id hoặc slug `cai-cach-hanh-chinh`"
        );
        assert_eq!(
            vi("the category holds 2 subcategories and 15 articles: move them first"),
            "chuyên mục đang chứa 2 chuyên mục con và 15 bài viết: hãy chuyển chúng đi trước"
        );
        assert_eq!(
            vi("too many attempts; retry in 30 seconds"),
            "quá nhiều lần thử; vui lòng thử lại sau 30 giây"
        );
        assert_eq!(
            vi("the registry already holds 5359/QĐ-UBND"),
            "sổ đăng ký đã có văn bản 5359/QĐ-UBND"
        );
        assert_eq!(
            vi("no area has the id 7, 9"),
            "không tìm thấy lĩnh vực có id 7, 9"
        );
    }

    #[test]
    fn a_specific_template_wins_over_a_general_one() {
        assert_eq!(
            vi("must be at most 1000 characters, without control characters"),
            "tối đa 1000 ký tự, không chứa ký tự điều khiển"
        );
        assert_eq!(
            vi("must be at most 256 characters long"),
            "chỉ được dài tối đa 256 ký tự"
        );
        assert_eq!(vi("must be at most 2000 characters"), "tối đa 2000 ký tự");
        assert_eq!(
            vi("must be at most 4294967295"),
            "không được lớn hơn 4294967295"
        );
        assert_eq!(
            vi("must be a whole number from 1 to 5"),
            "phải là số nguyên từ 1 đến 5"
        );
    }

    #[test]
    fn a_placeholder_takes_the_run_the_rest_of_the_template_allows() {
        assert_eq!(
            vi("no article has the id or slug `a`b`"),
            "không tìm thấy bài viết có id hoặc slug `a`b`"
        );
    }

    #[test]
    fn messages_around_a_message_translate_it() {
        assert_eq!(
            vi("each tag must be 1 to 50 characters, without control characters"),
            "mỗi thẻ phải có từ 1 đến 50 ký tự, không chứa ký tự điều khiển"
        );
        assert_eq!(
            vi("its name must name a file, not `.` or `..`"),
            "tên tệp phải là tên tệp, không được là `.` hoặc `..`"
        );
        assert_eq!(
            vi("url names this host (localhost), which deliveries may not reach"),
            "url trỏ tới chính máy chủ này (localhost), là địa chỉ không được phép gửi đến"
        );
        assert_eq!(
            vi("the request body could not be read: can not decode content-encoding"),
            "không đọc được nội dung yêu cầu: không giải mã được content-encoding"
        );
        assert_eq!(
            vi("the request body could not be read: connection reset"),
            "không đọc được nội dung yêu cầu: connection reset"
        );
    }

    #[test]
    fn serde_errors_in_the_words_of_the_api_are_translated() {
        assert_eq!(
            vi("must be a whole number, not the text \"năm\""),
            "phải là số nguyên, không phải chuỗi \"năm\""
        );
        assert_eq!(
            vi("must be a whole number, not 2.5"),
            "phải là số nguyên, không phải 2.5"
        );
        assert_eq!(
            vi("must be text, not null"),
            "phải là chuỗi ký tự, không phải null"
        );
        assert_eq!(
            vi("must be one of like, dislike, not a list"),
            "phải là một trong các giá trị like, dislike, không phải danh sách"
        );
        assert_eq!(
            vi("huh is not one of like, dislike"),
            "huh không phải là một trong các giá trị like, dislike"
        );
        assert_eq!(
            vi("titel is not a field of this request, which takes title, body"),
            "titel không phải là trường của yêu cầu này; yêu cầu này nhận các trường: title, body"
        );
        assert_eq!(vi("title is required"), "thiếu trường bắt buộc title");
        assert_eq!(vi("must be a whole number"), "phải là số nguyên");
    }

    #[test]
    fn unknown_messages_have_no_translation() {
        assert_eq!(message("the moon is made of cheese"), None);
        assert_eq!(message(""), None);
        // `{*}` takes only a message of the catalogue.
        assert_eq!(message("each tag is purple"), None);
        assert_eq!(message("must be blue"), None);
        assert_eq!(message("must be blue, not green"), None);
    }

    #[test]
    fn the_parts_go_where_the_vietnamese_template_puts_them() {
        let slots = vietnamese_slots("{1} rồi {0}, {không phải chỗ trống}");
        assert_eq!(
            fill(&slots, &["một".to_owned(), "hai".to_owned()]),
            "hai rồi một, {không phải chỗ trống}"
        );
    }

    fn placeholders(pieces: &[Piece]) -> usize {
        pieces
            .iter()
            .filter(|piece| !matches!(piece, Piece::Literal(_)))
            .count()
    }

    #[test]
    fn each_entry_has_the_same_placeholders_on_both_sides() {
        for (english, vietnamese) in CATALOGUE {
            let count = placeholders(&english_pieces(english));
            let mut indices: Vec<usize> = vietnamese_slots(vietnamese)
                .into_iter()
                .filter_map(|slot| match slot {
                    Slot::Part(index) => Some(index),
                    Slot::Text(_) => None,
                })
                .collect();
            indices.sort_unstable();
            assert_eq!(
                indices,
                (0..count).collect::<Vec<_>>(),
                "{english:?} → {vietnamese:?}"
            );
        }
    }

    #[test]
    fn each_template_can_match_only_what_it_says() {
        for (english, _) in CATALOGUE {
            let pieces = english_pieces(english);
            assert!(
                pieces
                    .iter()
                    .any(|piece| matches!(piece, Piece::Literal(_))),
                "{english:?} holds no text of its own"
            );
            assert!(
                pieces
                    .windows(2)
                    .all(|pair| matches!(pair[0], Piece::Literal(_))
                        || matches!(pair[1], Piece::Literal(_))),
                "{english:?} has two placeholders in a row"
            );
        }
    }

    #[test]
    fn no_english_text_is_catalogued_twice() {
        let mut seen = HashSet::new();
        for (english, _) in CATALOGUE {
            assert!(seen.insert(*english), "{english:?} is catalogued twice");
        }
        for (status, reason, _) in REASONS {
            assert!(
                seen.insert(*reason),
                "{reason:?} ({status}) is catalogued twice"
            );
        }
        let mut statuses = HashSet::new();
        assert!(REASONS.iter().all(|(status, ..)| statuses.insert(*status)));
    }

    #[test]
    fn every_catalogued_message_without_placeholders_translates_to_its_entry() {
        for (english, vietnamese) in CATALOGUE {
            if placeholders(&english_pieces(english)) == 0 {
                assert_eq!(
                    message(english).as_deref(),
                    Some(*vietnamese),
                    "{english:?}"
                );
            }
        }
    }
}

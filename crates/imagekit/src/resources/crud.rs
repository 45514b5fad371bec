//! The `crud!` macro: a list/create/get/update/delete resource built from its
//! five rows of the operation table.

/// Declares a resource whose `list`, `create`, `get`, `update` and `delete`
/// are the operations `$list` ... `$delete` of [`crate::operations`];
/// `create` takes `$req`, `update` takes `$update_req` and both answer `$resp`.
macro_rules! crud {
    (
        $(#[$m:meta])* $name:ident,
        [$list:ident, $create:ident, $get:ident, $update:ident, $delete:ident],
        $req:ty, $update_req:ty, $resp:ty
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> $name<'a> {
            #[doc = concat!("Lists them: [`", stringify!($list), "`](crate::operations::", stringify!($list), ").")]
            pub fn list(&self) -> crate::Call<Vec<$resp>> {
                crate::Call::json(self.client, crate::request::Endpoint::for_op(&crate::operations::$list, &[]))
            }

            #[doc = concat!("Creates one: [`", stringify!($create), "`](crate::operations::", stringify!($create), ").")]
            pub fn create(&self, body: $req) -> crate::Call<$resp> {
                let ep = crate::request::Endpoint::for_op(&crate::operations::$create, &[]);
                crate::Call::json(self.client, ep.and_then(|ep| ep.json(&body)))
            }

            #[doc = concat!("Gets one: [`", stringify!($get), "`](crate::operations::", stringify!($get), ").")]
            pub fn get(&self, id: &str) -> crate::Call<$resp> {
                crate::Call::json(self.client, crate::request::Endpoint::for_op(&crate::operations::$get, &[id]))
            }

            #[doc = concat!("Updates one: [`", stringify!($update), "`](crate::operations::", stringify!($update), ").")]
            pub fn update(&self, id: &str, body: $update_req) -> crate::Call<$resp> {
                let ep = crate::request::Endpoint::for_op(&crate::operations::$update, &[id]);
                crate::Call::json(self.client, ep.and_then(|ep| ep.json(&body)))
            }

            #[doc = concat!("Deletes one: [`", stringify!($delete), "`](crate::operations::", stringify!($delete), ").")]
            pub fn delete(&self, id: &str) -> crate::Call<()> {
                crate::Call::void(self.client, crate::request::Endpoint::for_op(&crate::operations::$delete, &[id]))
            }
        }
    };
}

pub(crate) use crud;

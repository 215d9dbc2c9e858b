//! The process calendar: for any push date, when each milestone falls and when
//! each deadline expires, in the process timezone (DST included).

mod calendar;
pub mod time;

pub use calendar::{
    is_working_day, late_by, milestone_date, monthly_date, monthly_meeting, train_schedule,
};
pub use calendar::{Deadline, Meeting, ScheduleError, TrainSchedule};
